// Electron's security checklist, in one place: no navigation, no new windows, no permissions, a strict CSP, and
// IPC accepted only from our own window's main frame.
import { session, type IpcMainInvokeEvent, type WebContents } from 'electron';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

export function hardenSession(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
}

export function hardenContents(contents: WebContents, isAllowedUrl: (url: string) => boolean): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAllowedUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** IPC is trusted only from the main frame of the window we created, showing our own page. */
export function isTrustedSender(event: IpcMainInvokeEvent, expected: WebContents, isAllowedUrl: (url: string) => boolean): boolean {
  const frame = event.senderFrame;
  return event.sender === expected && frame !== null && frame === expected.mainFrame && isAllowedUrl(frame.url);
}
