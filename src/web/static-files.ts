// Serves the built renderer. Only files under the renderer's build folder, only GET/HEAD, with a strict CSP.
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WEB_CONTENT_SECURITY_POLICY } from '../protocol/content-security-policy';
import { contentTypeOf } from '../protocol/content-types';

/** The renderer's policy (src/protocol/content-security-policy.ts), with web mode's WebSocket to the lab. */
export const CONTENT_SECURITY_POLICY = WEB_CONTENT_SECURITY_POLICY;

export function serveStatic(rootDir: string, request: IncomingMessage, response: ServerResponse): void {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    response.writeHead(400).end('bad path');
    return;
  }
  const root = resolve(rootDir);
  const relative = pathname === '/' ? 'index.html' : normalize(pathname).replace(/^([/\\])+/, '');
  const file = resolve(join(root, relative));
  if (file !== root && !file.startsWith(root + sep)) {
    response.writeHead(403).end('forbidden');
    return;
  }
  const target = existsSync(file) && statSync(file).isFile() ? file : join(root, 'index.html');
  if (!existsSync(target)) {
    response.writeHead(500, { 'Content-Type': 'text/plain' }).end('the renderer is not built: run `npm run build`');
    return;
  }
  response.writeHead(200, {
    'Content-Type': contentTypeOf(extname(target)),
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  createReadStream(target).pipe(response);
}
