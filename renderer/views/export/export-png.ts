// "Export view (PNG)" without a dependency: the main panel cloned (its scroll positions and form
// values kept), wrapped with the document's style sheets in an SVG <foreignObject>, drawn on a
// canvas and encoded as PNG. A browser that taints the canvas refuses: that is said plainly.

/** Why the PNG could not be made. */
export type PngExportFailure = 'tainted' | 'load' | 'encode' | 'too-large';

/** The view could not be exported as PNG (reason and a sentence for people). */
export class PngExportError extends Error {
  override readonly name = 'PngExportError';
  constructor(
    readonly reason: PngExportFailure,
    message: string,
  ) {
    super(message);
  }
}

/** Largest canvas side drawn (Chromium refuses far larger ones; a screen is far smaller). */
const MAX_SIDE = 8192;
const XHTML = 'http://www.w3.org/1999/xhtml';

/** The text of the document's same-origin style sheets (CSSOM cssRules), in order. */
export function documentCss(doc: Document): string {
  const out: string[] = [];
  for (const sheet of [...doc.styleSheets]) {
    let rules: CSSRuleList;
    try {
      rules = sheet.cssRules;
    } catch {
      continue; // a cross-origin sheet: unreadable, and none is loaded here
    }
    for (const r of [...rules]) out.push(r.cssText);
  }
  return out.join('\n');
}

/** An SVG document (SVG 1.1 foreignObject) of the given size holding serialized XHTML. */
export function svgDocument(xhtml: string, width: number, height: number, rootStyle: string): string {
  const w = Math.ceil(width);
  const h = Math.ceil(height);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" style="${rootStyle.replace(/"/g, '&quot;')}">` +
    `<foreignObject x="0" y="0" width="100%" height="100%">${xhtml}</foreignObject></svg>`
  );
}

/** Copies what cloneNode leaves behind (typed values, checked boxes, selections) and turns scroll offsets into transforms. */
function carryState(orig: Element, copy: Element): void {
  if (orig instanceof HTMLInputElement && copy instanceof HTMLInputElement) {
    if (orig.type === 'checkbox' || orig.type === 'radio') {
      if (orig.checked) copy.setAttribute('checked', '');
      else copy.removeAttribute('checked');
    } else {
      copy.setAttribute('value', orig.value);
    }
  } else if (orig instanceof HTMLTextAreaElement) {
    copy.textContent = orig.value;
  } else if (orig instanceof HTMLSelectElement && copy instanceof HTMLSelectElement) {
    [...copy.options].forEach((o, i) => (i === orig.selectedIndex ? o.setAttribute('selected', '') : o.removeAttribute('selected')));
  }
  const top = orig.scrollTop;
  const left = orig.scrollLeft;
  if ((top !== 0 || left !== 0) && copy instanceof HTMLElement) {
    copy.style.overflow = 'hidden';
    for (const child of [...copy.children]) {
      const s = (child as HTMLElement | SVGElement).style;
      if (s) s.transform = `translate(${-left}px, ${-top}px) ${s.transform}`.trim();
    }
  }
  const a = orig.children;
  const b = copy.children;
  for (let i = 0; i < a.length && i < b.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x && y) carryState(x, y);
  }
}

/** A deep clone of `el` as it looks now (scroll offsets and form values included). */
export function cloneForExport(el: HTMLElement): HTMLElement {
  const copy = el.cloneNode(true) as HTMLElement;
  carryState(el, copy);
  return copy;
}

/**
 * The SVG text of `el` as shown: its clone at its on-screen size, inside wrappers carrying the
 * root's classes (classroom mode) and `.app`, with every style sheet of the document inlined.
 */
export function viewSvg(el: HTMLElement): { svg: string; width: number; height: number } {
  const doc = el.ownerDocument;
  const width = Math.max(1, el.clientWidth);
  const height = Math.max(1, el.clientHeight);
  const rootCs = doc.defaultView?.getComputedStyle(doc.documentElement);
  const wrap = doc.createElementNS(XHTML, 'div') as HTMLElement;
  wrap.setAttribute('class', `${doc.documentElement.className} export-root`.trim());
  wrap.setAttribute('style', `width:${width}px;height:${height}px;overflow:hidden;`);
  const style = doc.createElementNS(XHTML, 'style');
  style.textContent = documentCss(doc);
  wrap.appendChild(style);
  const app = doc.createElementNS(XHTML, 'div') as HTMLElement;
  app.setAttribute('class', 'app');
  app.setAttribute('style', `width:${width}px;height:${height}px;`);
  const copy = cloneForExport(el);
  copy.style.width = `${width}px`;
  copy.style.height = `${height}px`;
  copy.style.flex = 'none';
  app.appendChild(copy);
  wrap.appendChild(app);
  const xhtml = new XMLSerializer().serializeToString(wrap);
  const rootStyle = rootCs ? `font-size:${rootCs.fontSize};background:${rootCs.backgroundColor};` : '';
  return { svg: svgDocument(xhtml, width, height, rootStyle), width, height };
}

function loadImage(src: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new PngExportError('load', 'the browser could not draw the view as an image (SVG foreignObject refused)'));
    img.src = src;
  });
}

/** Renders `el` (the main panel) to a PNG blob at the screen's pixel ratio (at most 2). */
export async function renderViewToPng(el: HTMLElement, scale = Math.min(2, globalThis.devicePixelRatio || 1)): Promise<Blob> {
  const { svg, width, height } = viewSvg(el);
  if (width * scale > MAX_SIDE || height * scale > MAX_SIDE) {
    throw new PngExportError('too-large', `the view is too large to draw (${width}×${height})`);
  }
  // A data: URL: the page's Content-Security-Policy allows img-src data:, not blob:.
  const img = await loadImage(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new PngExportError('encode', 'this browser has no 2D canvas to draw the view on');
  ctx.scale(scale, scale);
  ctx.drawImage(img, 0, 0, width, height);
  return new Promise<Blob>((resolve, reject) => {
    try {
      canvas.toBlob((b) => (b ? resolve(b) : reject(new PngExportError('encode', 'the canvas produced no PNG'))), 'image/png');
    } catch (err) {
      const tainted = err instanceof DOMException && err.name === 'SecurityError';
      reject(
        tainted
          ? new PngExportError('tainted', 'this browser treats a drawn web page as foreign content (a "tainted" canvas) and will not export it: use a screenshot, or Export snapshot (JSON)')
          : new PngExportError('encode', err instanceof Error ? err.message : String(err)),
      );
    }
  });
}
