// SIGSTOP freezes the leader with all its state; the others replace it. SIGCONT wakes it believing it still leads,
// until the first message from the newer term makes it step down.
import { afterEach, describe, expect, it } from 'vitest';
import type { LabEvent } from '../../../src/protocol/events';
import { closeAllLabs, CLUSTER_DEADLINE_MS, ClusterLab, eventually } from './cluster-harness';

type RaftEvent = Extract<LabEvent, { type: 'raft' }>;

afterEach(closeAllLabs);

describe('a paused leader', () => {
  it('is replaced while frozen and steps down when it resumes', async () => {
    const lab = await ClusterLab.start({ nodeCount: 3 });
    const oldLeader = await lab.waitForLeader();
    expect(await lab.put('before', '1')).toMatchObject({ status: 'ok' });

    await lab.controller.pauseNode(oldLeader.id);
    const paused = await lab.node(oldLeader.id);
    expect(paused.status).toBe('paused');
    expect(paused.pid).toBe(oldLeader.pid);
    const others = (await lab.snapshot()).nodes.map((node) => node.id).filter((id) => id !== oldLeader.id);
    const newLeader = await lab.waitForLeader({ among: others, minTerm: oldLeader.term + 1 });
    expect(await lab.put('during', '2')).toMatchObject({ status: 'ok', servedBy: newLeader.id });

    const resumedAt = lab.mark();
    await lab.controller.resumeNode(oldLeader.id);
    const { leader, snapshot } = await lab.waitForAgreement({ minTerm: newLeader.term });
    expect(leader.id).not.toBe(oldLeader.id);
    const resumed = snapshot.nodes.find((node) => node.id === oldLeader.id);
    expect(resumed).toMatchObject({ status: 'running', role: 'follower', leaderId: leader.id, pid: oldLeader.pid });
    expect(resumed?.term).toBeGreaterThan(oldLeader.term);
    const steppedDown = await lab.waitForEvent(resumedAt, (event): event is RaftEvent => event.type === 'raft' &&
      event.node === oldLeader.id && event.event.kind === 'stepped-down', `S${oldLeader.id} to report stepping down`);
    expect(steppedDown.event.data).toMatchObject({ from: 'leader' });
    expect(steppedDown.event.term).toBeGreaterThan(oldLeader.term);

    // It catches up on what it missed while frozen.
    await eventually(async () => ((await lab.controller.getNodeDetail(oldLeader.id)).kv.during === '2' ? true : null),
      CLUSTER_DEADLINE_MS, `S${oldLeader.id} to apply the write made while it was paused`);
    expect(await lab.get('during')).toMatchObject({ status: 'ok', value: '2' });
  });
});
