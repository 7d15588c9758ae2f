// Membership changes on real node processes (dissertation ch. 4): addServer starts a node with an empty disk that
// joins as a learner and is promoted once caught up (§4.2.1); removeServer stops a server's process once its removal
// commits, the leader's too (§4.2.2); writes succeed across the changes; what cannot be done is refused with a
// clear error and changes nothing.
import { afterEach, describe, expect, it } from 'vitest';
import type { LabEvent } from '../../../src/protocol/events';
import type { LabSnapshot, NodeView } from '../../../src/protocol/lab-api';
import type { NodeId } from '../../../src/raft/types';
import { isProcessAlive } from '../../helpers/lab-process';
import { closeAllLabs, CLUSTER_DEADLINE_MS, ClusterLab, describeNodes, eventually, putMany, putOf } from './cluster-harness';

afterEach(closeAllLabs);

/** The leader every running server agrees on, whose configuration has exactly `voters` and no learner. */
function settledOn(snapshot: LabSnapshot, voters: readonly NodeId[]): NodeView | null {
  const leader = snapshot.nodes.find((node) => node.role === 'leader' && node.status === 'running');
  if (!leader?.config || leader.config.learners.length > 0) return null;
  if ([...leader.config.voters].sort((a, b) => a - b).join() !== [...voters].sort((a, b) => a - b).join()) return null;
  const agree = snapshot.nodes.every((node) => node.leaderId === leader.id && node.term === leader.term &&
    node.config?.voters.join() === leader.config?.voters.join() && node.learner === false);
  return agree ? leader : null;
}

async function waitForVoters(lab: ClusterLab, voters: readonly NodeId[]): Promise<NodeView> {
  return eventually(async () => settledOn(await lab.snapshot(), voters), CLUSTER_DEADLINE_MS,
    `a leader with voters ${voters.join(', ')} that every server follows`, async () => describeNodes((await lab.snapshot()).nodes) +
      ` configs ${(await lab.snapshot()).nodes.map((node) => `S${node.id}:${JSON.stringify(node.config)}`).join(' ')}`);
}

async function waitForLog(lab: ClusterLab, id: NodeId, key: string): Promise<void> {
  await eventually(async () => ((await lab.log(id)).some((entry) => putOf(entry)?.key === key) ? true : null),
    CLUSTER_DEADLINE_MS, `S${id}'s log to hold ${key}`);
}

describe('membership changes on a real cluster', () => {
  it('grows 3 -> 4: the new server catches up as a learner, becomes a voter, and recovers its configuration after a crash', async () => {
    const lab = await ClusterLab.start({ nodeCount: 3 });
    await lab.waitForLeader();
    await putMany(lab, 'before', 5);

    const added = await lab.controller.addServer();
    expect(added).toBe(4);
    const leader = await waitForVoters(lab, [1, 2, 3, 4]);
    await waitForLog(lab, 4, 'before-4'); // caught up from an empty disk
    const log = await lab.log(4);
    expect(log.some((entry) => entry.config?.learners.includes(4)), 'the learner entry is in S4\'s log').toBe(true);
    expect(log.some((entry) => entry.config?.voters.includes(4)), 'the promotion entry is in S4\'s log').toBe(true);
    await putMany(lab, 'after', 5);
    await waitForLog(lab, 4, 'after-4');

    // A crash and restart: S4 recovers its configuration from its own disk (it has no bootstrap configuration).
    await lab.controller.crashNode(4);
    await lab.controller.restartNode(4);
    await putMany(lab, 'restarted', 3);
    await waitForLog(lab, 4, 'restarted-2');
    const s4 = await eventually(async () => {
      const node = await lab.node(4);
      return node.config?.voters.includes(4) ? node : null;
    }, CLUSTER_DEADLINE_MS, 'S4 to report itself a voter after its restart');
    expect(s4.learner).toBe(false);
    expect(leader.config?.voters).toContain(4);
  });

  it('a server added to a compacted cluster catches up by InstallSnapshot, configuration included, and keeps it across a restart', async () => {
    const lab = await ClusterLab.start({ nodeCount: 3, snapshotEveryEntries: 10, snapshotKeepEntries: 2 });
    await lab.waitForLeader();
    await putMany(lab, 'compacted', 30);
    expect(await lab.controller.addServer()).toBe(4);
    await waitForVoters(lab, [1, 2, 3, 4]);
    // The lab's copy of S4's log is reported apart from its state: wait for its first entries, then look at where they begin.
    const firstIndexOf4 = await eventually(async () => (await lab.log(4))[0]?.index ?? null, CLUSTER_DEADLINE_MS, 'S4\'s log to reach the lab');
    expect(firstIndexOf4, 'S4 was caught up from a snapshot').toBeGreaterThan(1);
    // Enough writes for S4 to compact past its own configuration entries: after the restart its configuration can
    // only come from its snapshot (the WAL's reference and the snapshot file), since it has no bootstrap one.
    await putMany(lab, 'joined', 25);
    await waitForLog(lab, 4, 'joined-24');
    const lastConfigIndex = Math.max(...(await lab.log(4)).filter((entry) => entry.config !== undefined).map((entry) => entry.index));
    const snapshotIndexOf4 = (): number => lab.controller['supervisor'].slot(4)?.mirror.state?.snapshotIndex ?? 0;
    await eventually(() => (snapshotIndexOf4() >= lastConfigIndex ? true : null), CLUSTER_DEADLINE_MS,
      `S4 to compact past its last configuration entry ${lastConfigIndex}`, () => `snapshot at ${snapshotIndexOf4()}`);
    await lab.controller.crashNode(4);
    await lab.controller.restartNode(4);
    await putMany(lab, 'restarted', 3);
    await waitForLog(lab, 4, 'restarted-2');
    await eventually(async () => ((await lab.node(4)).config?.voters.includes(4) ? true : null), CLUSTER_DEADLINE_MS,
      'S4 to report itself a voter after its restart');
    expect((await lab.get('compacted-0')).value).toBe('v0');
  });

  it('shrinks 4 -> 3 by removing the leader: its process stops once the change commits, and writes go on', async () => {
    const lab = await ClusterLab.start({ nodeCount: 4 });
    await lab.waitForLeader();
    const leader = await waitForVoters(lab, [1, 2, 3, 4]);
    await putMany(lab, 'before', 5);
    const pid = leader.pid;

    await lab.controller.removeServer(leader.id);
    const snapshot = await lab.snapshot();
    expect(snapshot.nodes.map((node) => node.id)).not.toContain(leader.id);
    expect(snapshot.nodes).toHaveLength(3);
    expect(pid !== null && isProcessAlive(pid), 'the removed leader\'s process is gone').toBe(false);
    const remaining = snapshot.nodes.map((node) => node.id);
    const newLeader = await waitForVoters(lab, remaining);
    expect(newLeader.id).not.toBe(leader.id);
    await putMany(lab, 'after', 5);
    for (const id of remaining) await waitForLog(lab, id, 'after-4');
    for (let i = 0; i < 5; i += 1) expect(await lab.get(`before-${i}`)).toMatchObject({ status: 'ok', value: `v${i}` });
  });

  it('a removal that cannot commit in time is said so and keeps the server; the lab later finishes it or reports it lost', async () => {
    const lab = await ClusterLab.start({ nodeCount: 3 });
    const leader = await waitForVoters(lab, [1, 2, 3]);
    const [down, victim] = [1, 2, 3].filter((id) => id !== leader.id) as [NodeId, NodeId];
    await lab.controller.crashNode(down);
    const victimPid = (await lab.node(victim)).pid;
    // The new configuration {leader, down} needs `down` to store the entry: it cannot commit while `down` is down.
    await expect(lab.controller.removeServer(victim)).rejects.toThrow(
      new RegExp(`removal of S${victim} \\(configuration entry \\d+\\) has not committed within 10000 ms.*S${victim} is still a member and keeps running`));
    const meanwhile = await lab.node(victim);
    expect(meanwhile.status).toBe('running');
    expect(victimPid !== null && isProcessAlive(victimPid), `S${victim}'s process still runs`).toBe(true);
    await expect(lab.controller.removeServer(victim)).rejects.toThrow(/already pending/);
    // A crash and restart of the victim meanwhile gives it a new process; its removal is still pending, and that
    // process is the one the lab must stop once the entry commits.
    await lab.controller.crashNode(victim);
    await lab.controller.restartNode(victim);
    const restarted = await eventually(async () => {
      const node = await lab.node(victim);
      return node.status === 'running' && node.pid !== null && node.pid !== victimPid ? node.pid : null;
    }, CLUSTER_DEADLINE_MS, `S${victim} to run again`);
    await expect(lab.controller.removeServer(victim)).rejects.toThrow(/already pending/);

    // With `down` back, either the leader (holding the entry) leads again and the entry commits, and the lab
    // finishes the removal; or the victim (never told of its removal) wins `down`'s vote first, its log overwrites the
    // uncommitted entry, and the lab says the removal was lost. Both are Raft; each must leave a state that says so.
    const mark = lab.mark();
    await lab.controller.restartNode(down);
    type Outcome = Extract<LabEvent, { type: 'fault' | 'error' }>;
    const outcome = await lab.waitForEvent(mark, (event): event is Outcome =>
      (event.type === 'fault' && event.action === 'remove-server' && event.nodes.includes(victim)) ||
      (event.type === 'error' && event.node === victim && event.message.includes('was lost')), `S${victim}'s removal to end`, 20_000);
    const ids = (await lab.snapshot()).nodes.map((node) => node.id);
    if (outcome.type === 'fault') {
      expect(ids).not.toContain(victim);
      expect(isProcessAlive(restarted), `S${victim}'s restarted process stopped`).toBe(false);
      await waitForVoters(lab, [leader.id, down]);
    } else {
      expect(ids).toContain(victim);
      await waitForVoters(lab, [1, 2, 3]);
    }
    await putMany(lab, 'after', 2);
  });

  it('a removal appended by a leader that is then cut off is reported lost once a new leader does without it; the server stays', async () => {
    const lab = await ClusterLab.start({ nodeCount: 3 });
    const leader = await waitForVoters(lab, [1, 2, 3]);
    const victim = leader.id === 3 ? 2 : 3;
    await lab.controller.setPartition([[leader.id]]); // the entry reaches no one: the others elect a leader without it
    await expect(lab.controller.removeServer(victim)).rejects.toThrow(
      new RegExp(`removal of S${victim} \\(configuration entry \\d+ of term ${leader.term}\\) was lost: S\\d leads term \\d+`));
    await lab.controller.healAll();
    await waitForVoters(lab, [1, 2, 3]);
    expect((await lab.snapshot()).nodes.map((node) => node.id)).toContain(victim);
  });

  it('on a paused cluster a removal returns once appended; the steps (here: running again) commit it and the lab finishes it', async () => {
    const lab = await ClusterLab.start({ nodeCount: 3 });
    const leader = await waitForVoters(lab, [1, 2, 3]);
    const victim = leader.id === 3 ? 2 : 3;
    await lab.controller.freezeCluster();
    await lab.controller.removeServer(victim);
    expect((await lab.snapshot()).nodes.map((node) => node.id)).toContain(victim);
    await lab.controller.resumeCluster();
    await eventually(async () => ((await lab.snapshot()).nodes.some((node) => node.id === victim) ? null : true), CLUSTER_DEADLINE_MS,
      `S${victim} to leave once its removal commits`);
    await waitForVoters(lab, [1, 2, 3].filter((id) => id !== victim));
  });

  it('refuses, changing nothing: an unknown server, no leader, a change already pending', async () => {
    const lab = await ClusterLab.start({ nodeCount: 3, startPaused: true });
    const before = (await lab.snapshot()).nodes.map((node) => `${node.id}:${String(node.pid)}`);
    await expect(lab.controller.removeServer(9)).rejects.toThrow(/there is no server S9/);
    await expect(lab.controller.addServer()).rejects.toThrow(/there is no leader/);
    await expect(lab.controller.removeServer(2)).rejects.toThrow(/there is no leader/);
    expect((await lab.snapshot()).nodes.map((node) => `${node.id}:${String(node.pid)}`)).toEqual(before);

    await lab.controller.resumeCluster();
    await waitForVoters(lab, [1, 2, 3]);
    const adding = lab.controller.addServer();
    await expect(lab.controller.removeServer(1)).rejects.toThrow(/already pending/);
    expect(await adding).toBe(4);
    await waitForVoters(lab, [1, 2, 3, 4]);
    expect((await lab.snapshot()).nodes).toHaveLength(4);
  });
});
