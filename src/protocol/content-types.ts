// The Content-Type of each file the renderer's build holds, for the two servers of it: web mode's HTTP server
// (src/web/static-files.ts) and the desktop app's raft-lab:// protocol (electron/main/app-protocol.ts).
export const RENDERER_CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** The Content-Type to serve a file with extension `extension` (".js"): unknown ones as plain bytes. */
export function contentTypeOf(extension: string): string {
  return RENDERER_CONTENT_TYPES[extension] ?? 'application/octet-stream';
}
