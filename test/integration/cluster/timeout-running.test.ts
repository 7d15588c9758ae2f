// "Time out now" on a running cluster returns as soon as the election's RequestVotes have reached their receivers,
// not after the step's landing deadline (3 s): it used to wait the whole deadline, since a message's arrival on a
// running cluster woke no waiter (only held frames did, while frozen).
import { afterEach, describe, expect, it } from 'vitest';
import { closeAllLabs, ClusterLab } from './cluster-harness';

afterEach(closeAllLabs);

describe('time out now on a running cluster', () => {
  it('returns once the RequestVotes have landed', async () => {
    const lab = await ClusterLab.start({ nodeCount: 3, timeScale: 2, networkDelayMs: [8, 15] });
    const leader = await lab.waitForLeader();
    const follower = (await lab.snapshot()).nodes.find((node) => node.id !== leader.id);
    if (!follower) throw new Error('no follower');
    const startedMs = performance.now();
    await lab.controller.timeoutNode(follower.id);
    expect(performance.now() - startedMs).toBeLessThan(1500);
    await lab.waitForLeader({ minTerm: leader.term + 1 });
  });
});
