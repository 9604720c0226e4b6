/** The Content-Security-Policy of the app's page (also set as a meta tag in index.html). */
export const APP_CSP = "default-src 'self'; script-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/** Whether a navigation may proceed: only to the app's own page (file:// URL), never elsewhere. */
export function isAllowedNavigation(target: string, appUrl: string): boolean {
  try {
    const t = new URL(target);
    const a = new URL(appUrl);
    return t.protocol === a.protocol && t.pathname === a.pathname;
  } catch {
    return false;
  }
}
