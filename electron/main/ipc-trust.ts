// Who may call the IPC handlers: pure checks, free of Electron so they run in unit tests.

/**
 * Whether a frame's URL is the app's own page (Electron security checklist §17, "validate the
 * sender of all IPC messages"): for a file: page, a file: URL with the same path (query and
 * hash ignored); for a dev server (http/https), the same origin. Malformed URLs are untrusted.
 */
export function isTrustedUrl(url: string, expectedUrl: string): boolean {
  let u: URL;
  let e: URL;
  try {
    u = new URL(url);
    e = new URL(expectedUrl);
  } catch {
    return false;
  }
  if (e.protocol === 'file:') return u.protocol === 'file:' && u.host === e.host && u.pathname === e.pathname;
  if (e.protocol !== 'http:' && e.protocol !== 'https:') return false;
  return u.origin === e.origin;
}

/** The parts of Electron's WebFrameMain the sender check reads (electron.d.ts WebFrameMain). */
export interface FrameLike {
  readonly url: string;
  /** null for a top-level frame. */
  readonly parent: unknown;
}

/**
 * A sender check for registerIpc: only a top-level frame (no iframe) showing the app's own page
 * (isTrustedUrl against `expectedUrl`) may call.
 */
export function makeSenderCheck(expectedUrl: string): (frame: FrameLike | null) => boolean {
  return (frame) => frame !== null && frame.parent === null && isTrustedUrl(frame.url, expectedUrl);
}
