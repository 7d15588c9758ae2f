// `npm start` in web mode opens the browser only where a person sits at a desktop, and never in CI.
import { describe, expect, it } from 'vitest';
import { browserPlan } from '../../../src/cli/open-browser';

const URL = 'http://127.0.0.1:5173/?token=abc';

describe('browserPlan', () => {
  it('opens with xdg-open on Linux with an X11 or Wayland display', () => {
    expect(browserPlan(URL, 'linux', { DISPLAY: ':0' })).toEqual({ open: true, how: { command: 'xdg-open', args: [URL], verbatim: false } });
    expect(browserPlan(URL, 'linux', { WAYLAND_DISPLAY: 'wayland-0' })).toMatchObject({ open: true, how: { command: 'xdg-open' } });
    expect(browserPlan(URL, 'freebsd', { DISPLAY: ':1' })).toMatchObject({ open: true, how: { command: 'xdg-open' } });
  });

  it('opens with open on macOS and start on Windows', () => {
    expect(browserPlan(URL, 'darwin', {})).toEqual({ open: true, how: { command: 'open', args: [URL], verbatim: false } });
    expect(browserPlan(URL, 'win32', {})).toEqual({ open: true, how: { command: 'cmd', args: ['/c', 'start', '""', `"${URL}"`], verbatim: true } });
  });

  it('opens nothing on a headless Linux machine or in CI, whatever the platform', () => {
    expect(browserPlan(URL, 'linux', {})).toEqual({ open: false, why: 'no desktop session (neither DISPLAY nor WAYLAND_DISPLAY is set)' });
    expect(browserPlan(URL, 'linux', { DISPLAY: '' })).toMatchObject({ open: false });
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      expect(browserPlan(URL, platform, { CI: 'true', DISPLAY: ':0' }), platform).toEqual({ open: false, why: 'running in CI' });
    }
    expect(browserPlan(URL, 'linux', { CI: 'false', DISPLAY: ':0' })).toMatchObject({ open: true });
  });
});
