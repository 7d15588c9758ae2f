// Leadership transfer on real node processes (dissertation §3.10): the lab asks the leader's process, which brings the
// chosen follower up to date and sends it TimeoutNow; the follower leads the next term and writes go on. What cannot
// be done is refused with the reason (no leader, unknown server, a learner, the leader itself); a transfer to a
// crashed follower is abandoned after an election timeout and said so. A learner that could not be promoted by its
// leader (it was down) is promoted on request.
import { afterEach, describe, expect, it } from 'vitest';
import type { LabEvent } from '../../../src/protocol/events';
import { agreedLeader, closeAllLabs, CLUSTER_DEADLINE_MS, ClusterLab, eventually, putMany, putRetryingUnknown } from './cluster-harness';

afterEach(closeAllLabs);

type TransferEvent = Extract<LabEvent, { type: 'raft' }>;
const isTransferEvent = (event: LabEvent): event is TransferEvent => event.type === 'raft' && event.event.kind === 'leadership-transfer';

describe('leadership transfer on a real cluster', () => {
  it('hands leadership to a chosen follower: it leads the next term, every server follows it, and writes go on', async () => {
    const lab = await ClusterLab.start({ nodeCount: 3 });
    await lab.waitForLeader();
    await putMany(lab, 'k', 5);
    // The leader as agreed after the writes (one sent again went to a new leader): the transfer is from this one.
    const leader = await lab.waitForLeader();
    const target = leader.id === 3 ? 2 : 3;
    const mark = lab.mark();

    await lab.controller.transferLeadership(target);

    const snapshot = await lab.snapshot();
    const now = snapshot.nodes.find((node) => node.id === target);
    expect(now?.role, `S${target} leads once the call resolves`).toBe('leader');
    expect(now?.term ?? 0).toBeGreaterThan(leader.term);
    const agreed = await lab.waitForLeader({ minTerm: leader.term + 1 });
    expect(agreed.id).toBe(target);
    const phases = lab.eventsSince(mark, isTransferEvent).filter((event) => event.node === leader.id).map((event) => event.event.data['phase']);
    expect(phases).toEqual(['started', 'timeout-now-sent']);
    const asked = lab.eventsSince(mark, (event): event is Extract<LabEvent, { type: 'fault' }> =>
      event.type === 'fault' && event.action === 'transfer-leadership');
    expect(asked.map((event) => event.nodes)).toEqual([[leader.id, target]]);
    expect(asked[0]?.description).toMatch(/§3\.10/);
    expect(await lab.put('after', 'x')).toMatchObject({ status: 'ok' });
    expect(await lab.get('k-4')).toMatchObject({ status: 'ok', value: 'v4' });
  });

  it('refuses, changing nothing: an unknown server, no leader, the leader itself', async () => {
    const lab = await ClusterLab.start({ nodeCount: 3, startPaused: true });
    await expect(lab.controller.transferLeadership(9)).rejects.toThrow(/there is no server S9/);
    await expect(lab.controller.transferLeadership(2)).rejects.toThrow(/there is no leader/);
    await lab.controller.resumeCluster();
    const leader = await lab.waitForLeader();
    await expect(lab.controller.transferLeadership(leader.id)).rejects.toThrow(new RegExp(`S${leader.id} already leads`));
    expect(agreedLeader(await lab.snapshot())?.id).toBe(leader.id);
  });

  it('on a paused cluster it returns once begun; meanwhile the leader refuses a new server, which leaves the lab again', async () => {
    const lab = await ClusterLab.start({ nodeCount: 3 });
    const leader = await lab.waitForLeader();
    const target = leader.id === 3 ? 2 : 3;
    await lab.controller.freezeCluster();
    const mark = lab.mark();
    await lab.controller.transferLeadership(target); // paused: nothing more happens until the cluster steps or runs
    expect(lab.eventsSince(mark, isTransferEvent).map((event) => event.event.data['phase'])).toContain('started');
    // §3.10: the leader accepts no proposals while it hands over, configuration changes included.
    await expect(lab.controller.addServer()).rejects.toThrow(/refused to add S4: .*handing leadership to S/);
    expect((await lab.snapshot()).nodes.map((node) => node.id)).toEqual([1, 2, 3]);
    const gone = lab.eventsSince(mark, (event): event is Extract<LabEvent, { type: 'fault' }> =>
      event.type === 'fault' && event.action === 'remove-server');
    expect(gone.map((event) => event.nodes), 'the views are told S4 left (its card must not stay)').toEqual([[4]]);
    await lab.controller.resumeCluster();
    expect((await lab.waitForLeader({ minTerm: leader.term + 1 })).id).toBe(target);
  });

  it('a transfer to a crashed follower is abandoned after an election timeout, and the leader takes writes again', async () => {
    const lab = await ClusterLab.start({ nodeCount: 3 });
    const leader = await lab.waitForLeader();
    const target = leader.id === 3 ? 2 : 3;
    await lab.controller.crashNode(target);
    await expect(lab.controller.transferLeadership(target)).rejects.toThrow(
      new RegExp(`transfer from S${leader.id} to S${target} was abandoned: .*within an election timeout`));
    const still = (await lab.snapshot()).nodes.find((node) => node.id === leader.id);
    expect(still).toMatchObject({ role: 'leader', term: leader.term });
    expect(await lab.put('after-abort', 'y')).toMatchObject({ status: 'ok' });
  });

  it('a learner that was down while it joined is not a transfer target; promoted on request, it is a voter and can lead', async () => {
    const lab = await ClusterLab.start({ nodeCount: 3 });
    await lab.waitForLeader();
    await putRetryingUnknown(lab, 'a', '1');
    // Paused, the learner entry is appended but nothing reaches S4 before it crashes (running, it could catch up and be
    // promoted within milliseconds); a learner that does not answer stays a learner (§4.2.1).
    await lab.controller.freezeCluster();
    const added = await lab.controller.addServer();
    await lab.controller.crashNode(added);
    await lab.controller.resumeCluster();
    await eventually(async () => {
      const leader = (await lab.snapshot()).nodes.find((node) => node.role === 'leader');
      return leader?.config?.learners.includes(added) && leader.commitIndex >= leader.lastLogIndex ? true : null;
    }, CLUSTER_DEADLINE_MS, `the leader to have committed S${added} as a learner`);
    await expect(lab.controller.transferLeadership(added)).rejects.toThrow(/it is a learner, not a voter/);

    await lab.controller.promoteServer(added);
    await expect(lab.controller.promoteServer(added)).rejects.toThrow(/not a learner|pending|not committed yet/); // one change at a time (§4.1)
    await lab.controller.restartNode(added);
    // Restarted, S4 must catch up first: a transfer to a server that cannot within an election timeout is abandoned.
    const leader = await eventually(async () => {
      const nodes = (await lab.snapshot()).nodes;
      const found = nodes.find((node) => node.role === 'leader');
      const s4 = nodes.find((node) => node.id === added);
      return found?.config?.voters.includes(added) && found.commitIndex >= found.lastLogIndex && s4 !== undefined &&
        s4.lastLogIndex >= found.lastLogIndex ? found : null;
    }, CLUSTER_DEADLINE_MS, `a leader whose committed configuration names S${added} a voter, and S${added} caught up`);
    await lab.controller.transferLeadership(added);
    expect((await lab.waitForLeader({ minTerm: leader.term + 1 })).id).toBe(added);
    expect(await lab.get('a')).toMatchObject({ status: 'ok', value: '1' });
  });
});
