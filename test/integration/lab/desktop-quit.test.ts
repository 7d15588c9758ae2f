// The desktop app's quit with the real lab: main's wiring (with a stand-in for `electron`, whose binary cannot run
// here) starts a real cluster of node processes, and quitting the app waits until every one of them has exited.
// Needs the node bundle (`npm run build:node`).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LabController } from '../../../src/lab/controller';
import { TEACHING_SETTINGS } from '../../../src/protocol/lab-api';
import { isProcessAlive, waitFor } from '../../helpers/lab-process';
import { fake, resetFakeElectron } from '../../unit/electron/fake-electron';

vi.mock('electron', async () => (await import('../../unit/electron/fake-electron')).fakeElectronModule);

const { startDesktopApp } = await import('../../../electron/main/desktop-app');

let lab: LabController | null = null;

afterEach(async () => {
  vi.restoreAllMocks();
  await lab?.close();
  lab = null;
});

describe('quitting the desktop app', () => {
  it('stops every node process of the lab before the app quits', async () => {
    resetFakeElectron();
    // The wiring's last-resort exit hook is the test process's to keep out of: record it instead.
    vi.spyOn(process, 'on').mockImplementation(((event: string, listener: () => void) => {
      if (event !== 'exit') process.addListener(event, listener);
      return process;
    }) as typeof process.on);
    startDesktopApp({ mainDir: '/opt/raft-lab/out/main', createLab: async () => {
      lab = await LabController.create({ initialSettings: TEACHING_SETTINGS });
      return lab;
    } });
    fake.app.becomeReady();
    // The window opens and a cluster of three starts, as it does for a student.
    let pids: number[] = [];
    await waitFor(() => lab !== null, 10_000, 'the lab');
    await vi.waitFor(async () => {
      const snapshot = await (lab as LabController).getSnapshot();
      pids = snapshot.nodes.filter((node) => node.status === 'running' && node.pid !== null).map((node) => node.pid as number);
      expect(pids).toHaveLength(3);
    }, { timeout: 30_000, interval: 100 });
    expect(pids.every(isProcessAlive)).toBe(true);

    const quit = { preventDefault: vi.fn() };
    fake.app.emit('before-quit', quit);
    expect(quit.preventDefault).toHaveBeenCalled(); // not yet: the nodes are stopping
    await waitFor(() => fake.app.quitCalls === 1, 15_000, 'the app to quit');
    // By the time the app quits, no node is left.
    expect(pids.filter(isProcessAlive)).toEqual([]);
  });
});
