// The renderer is served over raft-lab://app/ instead of file:// (Electron's security checklist, item 18): a
// standard, secure scheme gives the page a real origin of its own, only files under the renderer's build folder are
// served (a path that leaves it is refused), and every response carries the CSP. raft-lab://report/ serves the
// handout being printed to PDF, from memory (report-pages.ts), under a policy of its own.
import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { protocol } from 'electron';
import { CONTENT_SECURITY_POLICY, REPORT_CONTENT_SECURITY_POLICY } from './security';
import type { ReportPages } from './report-pages';
import { contentTypeOf } from '../../src/protocol/content-types';

export const APP_SCHEME = 'raft-lab';
export const APP_ORIGIN = `${APP_SCHEME}://app`;
export const REPORT_ORIGIN = `${APP_SCHEME}://report`;
export const APP_START_URL = `${APP_ORIGIN}/index.html`;

/**
 * Must run before the app is ready. Standard: URLs have a host and relative URLs resolve as on the web; secure:
 * treated like https (no mixed-content downgrade); fetch allowed for same-origin requests only (no corsEnabled, and
 * never bypassCSP).
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/**
 * The file under `rootDir` that an app URL names, or null when the URL is not ours or its path leaves `rootDir`
 * (`..`, encoded or not, a backslash, a NUL byte).
 */
export function rendererFileFor(rootDir: string, url: string): string | null {
  let parsed: URL;
  let pathname: string;
  try {
    parsed = new URL(url);
    pathname = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== 'app') return null;
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  const root = resolve(rootDir);
  const file = resolve(root, `.${pathname === '/' ? '/index.html' : pathname}`);
  return file.startsWith(root + sep) ? file : null;
}

function refused(status: number, text: string): Response {
  return new Response(text, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}

async function serveRendererFile(rootDir: string, request: Request): Promise<Response> {
  if (request.method !== 'GET') return refused(405, 'only GET');
  const file = rendererFileFor(rootDir, request.url);
  if (file === null) return refused(403, 'forbidden');
  try {
    const body = await readFile(file);
    return new Response(body, { status: 200, headers: {
      'Content-Type': contentTypeOf(extname(file)),
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
    } });
  } catch {
    return refused(404, 'not found');
  }
}

function serveReport(reports: ReportPages, request: Request): Response {
  const html = request.method === 'GET' ? reports.get(request.url) : null;
  if (html === null) return refused(404, 'no such handout');
  return new Response(html, { status: 200, headers: {
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': REPORT_CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
  } });
}

/** Answers raft-lab:// requests (after the app is ready). */
export function handleAppProtocol(rootDir: string, reports: ReportPages): void {
  protocol.handle(APP_SCHEME, (request) => {
    const host = new URL(request.url).host;
    if (host === 'app') return serveRendererFile(rootDir, request);
    if (host === 'report') return serveReport(reports, request);
    return refused(404, 'not found');
  });
}
