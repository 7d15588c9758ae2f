// Joint consensus (paper §6, Figure 11) on real node processes: a cluster started with membershipMode 'joint' changes
// its voters through C_old,new (decisions need a majority of the old voters and one of the new) and then C_new,
// written to each node's WAL and recovered after restarts; the lab's add and remove work the same way in this mode.
import { afterEach, describe, expect, it } from 'vitest';
import type { LabEvent } from '../../../src/protocol/events';
import type { LabSnapshot, LogEntryView, NodeView } from '../../../src/protocol/lab-api';
import type { NodeId } from '../../../src/raft/types';
import { isProcessAlive } from '../../helpers/lab-process';
import { closeAllLabs, CLUSTER_DEADLINE_MS, ClusterLab, describeNodes, eventually, putMany } from './cluster-harness';

afterEach(closeAllLabs);

const sortedIds = (ids: readonly number[]): string => [...ids].sort((a, b) => a - b).join();

/** The leader every running server follows, whose configuration (and committed one) is exactly `voters`, no learner, not joint. */
function settledOn(snapshot: LabSnapshot, voters: readonly NodeId[]): NodeView | null {
  const leader = snapshot.nodes.find((node) => node.role === 'leader' && node.status === 'running');
  const config = leader?.config;
  if (!leader || !config || config.learners.length > 0 || config.outgoing.length > 0 || sortedIds(config.voters) !== sortedIds(voters)) return null;
  // Committed too: the lab takes the next change only then (one at a time, §4.1).
  if (leader.committedConfig?.outgoing.length !== 0 || sortedIds(leader.committedConfig.voters) !== sortedIds(voters)) return null;
  // Every running server on C_new as well, not still on C_old,new (whose voters are the same).
  const agree = snapshot.nodes.every((node) => node.status !== 'running' || (node.leaderId === leader.id && node.term === leader.term &&
    node.config?.voters.join() === config.voters.join() && node.config.outgoing.length === 0));
  return agree ? leader : null;
}

async function waitForVoters(lab: ClusterLab, voters: readonly NodeId[]): Promise<NodeView> {
  return eventually(async () => settledOn(await lab.snapshot(), voters), CLUSTER_DEADLINE_MS,
    `a leader with voters ${voters.join(', ')} that every running server follows`, async () => describeNodes((await lab.snapshot()).nodes) +
      ` configs ${(await lab.snapshot()).nodes.map((node) => `S${node.id}:${JSON.stringify(node.config)}`).join(' ')}`);
}

/** The configuration entries of a log, as `voters|outgoing` pairs. */
function configurations(log: readonly LogEntryView[]): string[] {
  return log.flatMap((entry) => (entry.config ? [`${entry.config.voters.join()}|${entry.config.outgoing.join()}`] : []));
}

/**
 * Waits until the lab's copy of `node`'s log holds every one of `wanted` (configuration entries): the log is reported
 * apart from the node's state, so a leader seen on C_new does not mean the lab has that server's newest entries yet.
 */
async function waitForConfigurations(lab: ClusterLab, node: NodeId, wanted: readonly string[]): Promise<void> {
  await eventually(async () => {
    const seen = configurations(await lab.log(node));
    return wanted.every((configuration) => seen.includes(configuration)) ? seen : null;
  }, CLUSTER_DEADLINE_MS, `S${node}'s log to hold the configurations ${wanted.join(', ')}`,
  async () => `S${node}'s configurations ${configurations(await lab.log(node)).join(' ')}`);
}

describe('joint consensus on a real cluster', () => {
  it('grows 3 -> 4 and removes the leader through C_old,new then C_new, and keeps the configuration across a restart of every node', async () => {
    const lab = await ClusterLab.start({ nodeCount: 3, membershipMode: 'joint' });
    expect((await lab.snapshot()).settings.membershipMode).toBe('joint');
    await lab.waitForLeader();
    await putMany(lab, 'before', 3);

    expect(await lab.controller.addServer()).toBe(4);
    await waitForVoters(lab, [1, 2, 3, 4]);
    // The learner entry, then the promotion as the paper's two steps: C_old,new (new voters, old ones beside), C_new.
    await waitForConfigurations(lab, 4, ['1,2,3|', '1,2,3,4|1,2,3', '1,2,3,4|']);

    const leader = await waitForVoters(lab, [1, 2, 3, 4]);
    const remaining = [1, 2, 3, 4].filter((id) => id !== leader.id);
    await lab.controller.removeServer(leader.id);
    const after = await waitForVoters(lab, remaining);
    expect(after.id).not.toBe(leader.id);
    expect(leader.pid !== null && isProcessAlive(leader.pid), 'the removed leader\'s process is gone').toBe(false);
    await waitForConfigurations(lab, after.id, [`${remaining.join()}|1,2,3,4`, `${remaining.join()}|`]);
    await putMany(lab, 'after', 3);

    // Every node down, then up: each recovers C_new from its WAL (S4 has no bootstrap configuration at all).
    for (const id of remaining) await lab.controller.crashNode(id);
    for (const id of remaining) await lab.controller.restartNode(id);
    await waitForVoters(lab, remaining);
    await putMany(lab, 'restarted', 2);
    expect(await lab.get('before-0')).toMatchObject({ status: 'ok', value: 'v0' });
  });

  it('a removal stuck in C_old,new is shown as joint, survives restarts, and is finished (not reported lost) by a leader of a later term', async () => {
    const lab = await ClusterLab.start({ nodeCount: 3, membershipMode: 'joint' });
    const leader = await waitForVoters(lab, [1, 2, 3]);
    await putMany(lab, 'x', 2);
    const [down, victim] = [1, 2, 3].filter((id) => id !== leader.id) as [NodeId, NodeId];
    await lab.controller.crashNode(down);
    // C_old,new = new voters {leader, down} beside old voters {1, 2, 3}: the new half's majority needs `down`.
    await expect(lab.controller.removeServer(victim)).rejects.toThrow(new RegExp(`removal of S${victim} .*has not committed`));
    const joint = await lab.node(leader.id);
    expect(joint.config).toMatchObject({ voters: [leader.id, down].sort((a, b) => a - b), outgoing: [1, 2, 3] });
    expect(joint.committedConfig?.outgoing).toEqual([]);

    // The leader restarts (a later term follows), `down` comes back: the new leader holds C_old,new and appends C_new.
    const mark = lab.mark();
    await lab.controller.crashNode(leader.id);
    await lab.controller.restartNode(leader.id);
    await lab.controller.restartNode(down);
    type Outcome = Extract<LabEvent, { type: 'fault' | 'error' }>;
    const outcome = await lab.waitForEvent(mark, (event): event is Outcome =>
      (event.type === 'fault' && event.action === 'remove-server' && event.nodes.includes(victim)) ||
      (event.type === 'error' && event.node === victim), `S${victim}'s removal to end`, 20_000);
    expect(outcome.type === 'error' ? outcome.message : 'finished').toBe('finished');
    await waitForVoters(lab, [leader.id, down]);
    expect((await lab.snapshot()).nodes.map((node) => node.id)).not.toContain(victim);
    await putMany(lab, 'y', 2);
    expect(await lab.get('x-1')).toMatchObject({ status: 'ok', value: 'v1' });
  });
});
