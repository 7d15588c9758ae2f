// Child processes never outlive the lab: not after SIGINT (clean stop), not after SIGKILL (nodes notice their
// parent is gone).
import { describe, expect, it } from 'vitest';
import { isProcessAlive, printedNodePids, startLab, waitFor } from '../../helpers/lab-process';

describe('node processes never outlive the lab', () => {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGKILL'] as const) {
    it(`after ${signal} of the lab, every node process is gone within 3 s`, async () => {
      const lab = await startLab();
      const pids = printedNodePids(lab.output());
      expect(pids).toHaveLength(3);
      for (const pid of pids) expect(isProcessAlive(pid)).toBe(true);
      await lab.stop(signal);
      await waitFor(() => pids.every((pid) => !isProcessAlive(pid)), 3000, `nodes ${pids.join(',')} to exit`);
    });
  }
});
