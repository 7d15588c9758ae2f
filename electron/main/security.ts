// Electron's security checklist in one place (docs/security.md goes through it item by item): the window's web
// preferences, the CSPs, no navigation, no new windows, no permissions, and IPC accepted only from our own window's
// main frame.
import { session, type BrowserWindowConstructorOptions, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { DESKTOP_CONTENT_SECURITY_POLICY } from '../../src/protocol/content-security-policy';

export const CONTENT_SECURITY_POLICY = DESKTOP_CONTENT_SECURITY_POLICY;

/**
 * `npm run dev` only (the packaged app loads nothing but raft-lab://): Vite's dev server injects each component's CSS
 * as a <style> element, so inline styles are admitted there, and nowhere else (the whole directive is replaced:
 * beside the handout's hash, 'unsafe-inline' would be ignored).
 */
export const DEV_SERVER_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace(/style-src [^;]*/, "style-src 'self' 'unsafe-inline'");

/**
 * A handout being printed: our own escaped markup with its own <style> and SVG style attributes, no script (the
 * window that prints it runs none) and nothing fetched but inline images.
 */
export const REPORT_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

/** The settings every one of our renderers runs with (the defaults, spelled out so that a change shows in review). */
const LOCKED_DOWN = { contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false, webSecurity: true, allowRunningInsecureContent: false, experimentalFeatures: false,
  webviewTag: false, spellcheck: false } as const;

export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return { width: 1400, height: 900, title: 'Raft Lab', show: false, webPreferences: { ...LOCKED_DOWN, preload: preloadPath } };
}

/** The hidden window that prints a handout: no preload (no bridge), and no JavaScript at all. */
export function reportWindowOptions(): BrowserWindowConstructorOptions {
  return { show: false, width: 1100, height: 1400, webPreferences: { ...LOCKED_DOWN, javascript: false } };
}

export function hardenSession(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  // raft-lab:// responses carry their own policy (app-protocol.ts); this covers the dev server in development.
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    if (details.url.startsWith('raft-lab:')) {
      callback({});
      return;
    }
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [DEV_SERVER_CONTENT_SECURITY_POLICY] } });
  });
}

export function hardenContents(contents: WebContents, isAllowedUrl: (url: string) => boolean): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAllowedUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
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
