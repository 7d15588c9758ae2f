// The renderer's CSP: one policy for web mode's header, the desktop app's raft-lab:// responses and the <meta> in
// index.html; no inline styles but the handout's own, allowed by its hash.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPORT_STYLE } from '../../../renderer/src/components/reports/run-report';
import { DESKTOP_CONTENT_SECURITY_POLICY, HANDOUT_STYLE_HASH, WEB_CONTENT_SECURITY_POLICY } from '../../../src/protocol/content-security-policy';

const directives = (policy: string): Map<string, string> =>
  new Map(policy.split(';').map((part) => part.trim()).filter(Boolean).map((part) => [part.split(' ')[0] ?? '', part]));

describe('the Content-Security-Policy', () => {
  it('allows no inline script or style, and no style but our files and the handout\'s', () => {
    for (const policy of [WEB_CONTENT_SECURITY_POLICY, DESKTOP_CONTENT_SECURITY_POLICY]) {
      expect(policy).not.toContain('unsafe-inline');
      expect(policy).not.toContain('unsafe-eval');
      expect(directives(policy).get('script-src')).toBe("script-src 'self'");
      expect(directives(policy).get('style-src')).toBe(`style-src 'self' ${HANDOUT_STYLE_HASH}`);
    }
    expect(directives(DESKTOP_CONTENT_SECURITY_POLICY).get('connect-src')).toBe("connect-src 'self'");
  });

  it('allows the handout\'s <style> by the hash of its current text', () => {
    const hash = createHash('sha256').update(REPORT_STYLE, 'utf8').digest('base64');
    expect(HANDOUT_STYLE_HASH).toBe(`'sha256-${hash}'`);
  });

  it('is the same in renderer/index.html (less frame-ancestors, which a <meta> cannot carry)', () => {
    const html = readFileSync(join(import.meta.dirname, '..', '..', '..', 'renderer', 'index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    const expected = WEB_CONTENT_SECURITY_POLICY.split('; ').filter((part) => !part.startsWith('frame-ancestors')).join('; ');
    expect(meta).toBe(expected);
  });
});
