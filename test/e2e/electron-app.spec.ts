// The desktop app itself, driven through Playwright's Electron support. Electron's binary cannot be downloaded on
// every machine (CI here has no network): where it is missing this spec reports itself skipped, with the reason.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { isProcessAlive, waitFor } from '../helpers/lab-process';

const PROJECT_ROOT = resolve(import.meta.dirname, '..', '..');

function electronBinary(): { path: string } | { missing: string } {
  const packageDir = join(PROJECT_ROOT, 'node_modules', 'electron');
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return { missing: 'the Electron binary was never downloaded (node_modules/electron/path.txt is absent)' };
  const binary = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? { path: binary } : { missing: `the Electron binary ${binary} is missing` };
}

test('the desktop app starts a cluster, isolates the renderer, and stops its nodes when it quits', async () => {
  const found = electronBinary();
  test.info().skip('missing' in found, 'missing' in found ? `Electron cannot run here: ${found.missing}` : '');
  if (!('path' in found)) return;
  const app = await electron.launch({ executablePath: found.path, args: [PROJECT_ROOT], cwd: PROJECT_ROOT });
  const window = await app.firstWindow();
  await expect(window.getByTestId('node-1')).toHaveAttribute('data-status', 'running', { timeout: 30_000 });
  const isolation = await window.evaluate(() => ({
    bridge: typeof (window as unknown as { raftLab?: unknown }).raftLab,
    nodeRequire: typeof (window as unknown as { require?: unknown }).require,
    nodeProcess: typeof (window as unknown as { process?: unknown }).process,
  }));
  expect(isolation).toEqual({ bridge: 'object', nodeRequire: 'undefined', nodeProcess: 'undefined' });
  const pids = (await window.evaluate(async () => {
    const bridge = (window as unknown as { raftLab: { invoke(method: string, params: unknown[]): Promise<unknown> } }).raftLab;
    return bridge.invoke('getSnapshot', []);
  }) as { nodes: { pid: number | null }[] }).nodes.map((node) => node.pid).filter((pid): pid is number => pid !== null);
  expect(pids.length).toBeGreaterThanOrEqual(3);
  await app.close();
  await waitFor(() => pids.every((pid) => !isProcessAlive(pid)), 5000, 'the node processes to exit with the app');
});
