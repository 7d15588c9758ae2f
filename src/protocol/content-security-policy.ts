// The renderer's Content-Security-Policy, one definition for its three deliveries: the HTTP header of web mode
// (src/web/static-files.ts), the raft-lab:// responses of the desktop app (electron/main/app-protocol.ts) and the
// <meta> tag in renderer/index.html (a test keeps that copy equal to the web policy). They differ only in where the
// page may connect: web mode's lab is a WebSocket on the loopback, the desktop app's is IPC.
/**
 * The handout's one inline <style> (REPORT_STYLE in renderer/src/components/reports/run-report.ts), allowed by its
 * hash: a browser prints the handout from a frame that inherits this policy. A test fails when the style changes
 * without this hash.
 */
export const HANDOUT_STYLE_HASH = "'sha256-BnpnqUwKUpqz9IGhBESpfDQXxVddIstGZcBQQQjUH1M='";

/**
 * No 'unsafe-inline': no <style> element or style="…" attribute can be injected. Vue's :style bindings set
 * element.style through the CSSOM, which CSP does not govern; Vite puts every component's styles in the CSS file; the
 * timeline and the experiment plots are SVG with presentation attributes (fill="…"), which are not styles to CSP.
 */
const STYLE_POLICY = [`style-src 'self' ${HANDOUT_STYLE_HASH}`] as const;

function policy(connectSrc: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    ...STYLE_POLICY,
    "img-src 'self' data: blob:",
    `connect-src ${connectSrc}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}

export const WEB_CONTENT_SECURITY_POLICY = policy("'self' ws://127.0.0.1:* ws://localhost:*");
export const DESKTOP_CONTENT_SECURITY_POLICY = policy("'self'");
