// Saving a file from the page: an <a download> on a blob: URL (HTML "Downloading resources").

/** Offers `blob` as a download named `name`; the URL is revoked once the browser has taken it. */
export function downloadBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
