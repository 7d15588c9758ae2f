// The desktop app itself, driven through Playwright's Electron support: `npm run test:electron` (its own config, not
// part of `npm run test:e2e`), on machines where Electron's binary is installed. Without the binary it fails and
// says so: a run that asked for the desktop app must not pass without one.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { isProcessAlive, waitFor } from '../helpers/lab-process';

const PROJECT_ROOT = resolve(import.meta.dirname, '..', '..');

function electronBinary(): string {
  const packageDir = join(PROJECT_ROOT, 'node_modules', 'electron');
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) {
    throw new Error('Electron\'s binary was never downloaded (node_modules/electron/path.txt is absent): reinstall `electron` with network access');
  }
  const binary = join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  if (!existsSync(binary)) throw new Error(`Electron's binary ${binary} is missing`);
  return binary;
}

test('the desktop app starts a cluster over raft-lab://, isolates the renderer, and stops its nodes when it quits', async () => {
  const app = await electron.launch({ executablePath: electronBinary(), args: [PROJECT_ROOT], cwd: PROJECT_ROOT });
  const window = await app.firstWindow();
  expect(window.url()).toBe('raft-lab://app/index.html');
  await expect(window.getByTestId('node-1')).toHaveAttribute('data-status', 'running', { timeout: 30_000 });
  const isolation = await window.evaluate(() => ({
    bridge: typeof (window as unknown as { raftLab?: unknown }).raftLab,
    savesPdf: typeof (window as unknown as { raftLab?: { saveReportPdf?: unknown } }).raftLab?.saveReportPdf,
    nodeRequire: typeof (window as unknown as { require?: unknown }).require,
    nodeProcess: typeof (window as unknown as { process?: unknown }).process,
  }));
  expect(isolation).toEqual({ bridge: 'object', savesPdf: 'function', nodeRequire: 'undefined', nodeProcess: 'undefined' });
  // The scheme serves nothing outside the renderer's folder.
  const outside = await window.evaluate(async () => (await fetch('raft-lab://app/..%2f..%2fpackage.json')).status);
  expect(outside).toBe(403);
  const pids = (await window.evaluate(async () => {
    const bridge = (window as unknown as { raftLab: { invoke(method: string, params: unknown[]): Promise<unknown> } }).raftLab;
    return bridge.invoke('getSnapshot', []);
  }) as { nodes: { pid: number | null }[] }).nodes.map((node) => node.pid).filter((pid): pid is number => pid !== null);
  expect(pids.length).toBeGreaterThanOrEqual(3);
  await app.close();
  await waitFor(() => pids.every((pid) => !isProcessAlive(pid)), 5000, 'the node processes to exit with the app');
});
