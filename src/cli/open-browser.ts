// Opening the lab's URL in the user's browser, only where a person sits at a desktop: a Linux (or BSD) session with a
// display (X11 or Wayland), or macOS or Windows. Never in CI, over SSH without a display, or in a container: there
// `xdg-open` would fail or, worse, start a text browser in the terminal. The URL is always printed anyway.
import { spawn } from 'node:child_process';

export interface BrowserCommand {
  readonly command: string;
  readonly args: readonly string[];
  /** Windows' `start` is a cmd built-in: its arguments must reach cmd as written. */
  readonly verbatim: boolean;
}

/** Why nothing is opened, or how to open it. */
export type BrowserPlan = { readonly open: true; readonly how: BrowserCommand } | { readonly open: false; readonly why: string };

export function browserPlan(url: string, platform: NodeJS.Platform, env: NodeJS.ProcessEnv): BrowserPlan {
  if (isSet(env.CI)) return { open: false, why: 'running in CI' };
  if (platform === 'darwin') return { open: true, how: { command: 'open', args: [url], verbatim: false } };
  if (platform === 'win32') return { open: true, how: { command: 'cmd', args: ['/c', 'start', '""', `"${url}"`], verbatim: true } };
  if (!isSet(env.DISPLAY) && !isSet(env.WAYLAND_DISPLAY)) return { open: false, why: 'no desktop session (neither DISPLAY nor WAYLAND_DISPLAY is set)' };
  return { open: true, how: { command: 'xdg-open', args: [url], verbatim: false } };
}

/**
 * Opens `url` where a desktop exists; returns a line saying what happened. The opener runs detached and is never
 * waited for: a missing `xdg-open` or a browser that fails must not touch the lab.
 */
export function openInBrowser(url: string, platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  const plan = browserPlan(url, platform, env);
  if (!plan.open) return `not opening a browser: ${plan.why}`;
  try {
    const child = spawn(plan.how.command, plan.how.args, { detached: true, stdio: 'ignore', windowsVerbatimArguments: plan.how.verbatim });
    child.on('error', (error) => process.stderr.write(`raft-lab: could not open a browser (${plan.how.command}): ${error.message}\n`));
    child.unref();
    return `opening ${url} in the browser`;
  } catch (error) {
    return `could not open a browser (${plan.how.command}): ${(error as Error).message}`;
  }
}

function isSet(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}
