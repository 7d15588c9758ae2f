// A leader cut off in a minority cannot commit: its clients hear nothing definite, its entry is never committed
// anywhere, the majority elects a new leader and commits; after the heal the old leader steps down and every log
// converges on the majority's.
import { afterEach, describe, expect, it } from 'vitest';
import type { Dealer } from 'zeromq';
import type { ClientReplyFrame } from '../../../src/protocol/client';
import type { LabEvent } from '../../../src/protocol/events';
import type { NodeId } from '../../../src/raft/types';
import { clientEndpointOf, closeAllLabs, CLUSTER_DEADLINE_MS, ClusterLab, eventually, isType, putOf, rawDealer } from './cluster-harness';

afterEach(closeAllLabs);

/** Shorter than one client attempt (600 ms): the lab's client has no time to try another node. */
const MINORITY_PUT_TIMEOUT_MS = 500;
const DEADLINE_PROBES = 8;

type RaftEvent = Extract<LabEvent, { type: 'raft' }>;

/** Collects every reply arriving on a raw client socket. */
function collectReplies(socket: Dealer): ClientReplyFrame[] {
  const replies: ClientReplyFrame[] = [];
  void (async () => {
    try {
      for await (const [payload] of socket) if (payload) replies.push(JSON.parse(payload.toString('utf8')) as ClientReplyFrame);
    } catch {
      // closed by closeAllLabs
    }
  })();
  return replies;
}

describe('a leader in a minority partition', () => {
  it('cannot commit, and rejoins cleanly after the heal', async () => {
    const lab = await ClusterLab.start({ nodeCount: 5 });
    const oldLeader = await lab.waitForLeader();
    expect(await lab.put('before', 'b')).toMatchObject({ status: 'ok' });
    const ids = (await lab.snapshot()).nodes.map((node) => node.id);
    const partner = ids.find((id) => id !== oldLeader.id) as NodeId;
    const minority = [oldLeader.id, partner];
    const majority = ids.filter((id) => !minority.includes(id));

    const partitionedAt = lab.mark();
    // setPartition resolves once every running node has applied its new table: the very next write is cut off.
    await lab.controller.setPartition([minority]);

    // Through the lab's client, pinned to the old leader with a short deadline: the outcome is unknown.
    const viaLab = await lab.put('minority-lab', 'maybe', { node: oldLeader.id, timeoutMs: MINORITY_PUT_TIMEOUT_MS });
    expect(viaLab).toMatchObject({ status: 'unknown', index: null });
    // Straight to the old leader's client socket, so that no retry can carry it anywhere else.
    const client = rawDealer(clientEndpointOf(lab.controller, oldLeader.id));
    const replies = collectReplies(client);
    // A write carries a session (dissertation §6.3); this one never commits, so any session id will do.
    await client.send(JSON.stringify({ v: 1, requestId: 'minority-1', clientId: 'raw-minority', session: 1, seq: 1, op: 'put', key: 'minority', value: 'lost' }));

    // The old leader appends both writes; find where, so we can watch those indexes.
    const appended = await eventually(async () => {
      const log = await lab.log(oldLeader.id);
      const lost = log.find((entry) => putOf(entry)?.key === 'minority');
      const maybe = log.find((entry) => putOf(entry)?.key === 'minority-lab');
      return lost && maybe ? { lost, maybe } : null;
    }, CLUSTER_DEADLINE_MS, `S${oldLeader.id} to append the minority writes`);
    expect(appended.lost.term).toBe(oldLeader.term);
    const firstMinorityIndex = Math.min(appended.lost.index, appended.maybe.index);

    const newLeader = await lab.waitForLeader({ among: majority, minTerm: oldLeader.term + 1 });
    expect(await lab.put('majority', 'kept', { node: newLeader.id })).toMatchObject({ status: 'ok', servedBy: newLeader.id });

    // While cut off, neither minority node ever committed up to the minority's entries, and no client heard "ok".
    const minorityStates = lab.eventsSince(partitionedAt, isType('node-state')).filter((event) => minority.includes(event.node));
    expect(minorityStates.length).toBeGreaterThan(0);
    for (const event of minorityStates) expect(event.state.commitIndex, `S${event.node} commitIndex`).toBeLessThan(firstMinorityIndex);
    for (const id of minority) expect((await lab.node(id)).commitIndex).toBeLessThan(firstMinorityIndex);
    expect((await lab.node(oldLeader.id)).role).toBe('leader'); // no check-quorum: it does not know it is cut off
    expect(replies.filter((reply) => reply.requestId === 'minority-1')).toEqual([]);

    const healedAt = lab.mark();
    await lab.controller.healAll();
    const leader = await lab.waitForLeader({ minTerm: newLeader.term });
    expect(leader.id).not.toBe(oldLeader.id);
    const steppedDown = await lab.waitForEvent(healedAt, (event): event is RaftEvent => event.type === 'raft' &&
      event.node === oldLeader.id && event.event.kind === 'stepped-down', `S${oldLeader.id} to report stepping down`);
    expect(steppedDown.event.data).toMatchObject({ from: 'leader' });

    // Logs converge: same last index and term everywhere, every entry committed, and identical entries.
    const logs = await eventually(async () => {
      const snapshot = await lab.snapshot();
      if (new Set(snapshot.nodes.flatMap((node) => [node.lastLogIndex, node.commitIndex])).size !== 1) return null;
      const all = await Promise.all(ids.map((id) => lab.log(id)));
      const shapes = new Set(all.map((log) => JSON.stringify(log.map((entry) => [entry.index, entry.term]))));
      return shapes.size === 1 ? all : null;
    }, CLUSTER_DEADLINE_MS, 'every log to converge', () => lab.describe());
    for (const log of logs) {
      expect(log.at(-1)?.term).toBe(logs[0]?.at(-1)?.term);
      expect(log.find((entry) => putOf(entry)?.key === 'minority'), 'the minority write survives nowhere').toBeUndefined();
      expect(log[appended.lost.index - 1]?.term).toBeGreaterThan(oldLeader.term);
    }
    // The raw client learns its write was superseded; it is never told "ok".
    await eventually(() => replies.find((reply) => reply.requestId === 'minority-1'), CLUSTER_DEADLINE_MS,
      'the old leader to answer the minority write once its entry was replaced');
    expect(replies.filter((reply) => reply.requestId === 'minority-1').map((reply) => reply.status)).toEqual(['retry']);
    expect(await lab.get('minority')).toMatchObject({ status: 'ok', value: null });
    expect(await lab.get('majority')).toMatchObject({ status: 'ok', value: 'kept' });
    expect(await lab.get('before')).toMatchObject({ status: 'ok', value: 'b' });
  });

  it('a lab client request pinned to it, with a deadline shorter than one attempt, goes nowhere else', async () => {
    const lab = await ClusterLab.start({ nodeCount: 3 });
    const oldLeader = await lab.waitForLeader();
    const majority = (await lab.snapshot()).nodes.map((node) => node.id).filter((id) => id !== oldLeader.id);
    await lab.controller.setPartition([[oldLeader.id]]);
    const newLeader = await lab.waitForLeader({ among: majority, minTerm: oldLeader.term + 1 });

    const follower = majority.find((id) => id !== newLeader.id) as NodeId;
    const probedAt = lab.mark();
    const statuses: string[] = [];
    for (let i = 0; i < DEADLINE_PROBES; i += 1) {
      statuses.push((await lab.put(`pinned-${i}`, 'x', { node: oldLeader.id, timeoutMs: MINORITY_PUT_TIMEOUT_MS })).status);
    }
    expect(statuses).toEqual(Array.from({ length: DEADLINE_PROBES }, () => 'unknown'));
    // The lab keeps one connection per node, in order: whatever the client sent to a majority node before these
    // requests has been handled by the time they are answered.
    expect(await lab.put('marker', 'm', { node: newLeader.id })).toMatchObject({ status: 'ok' });
    expect(await lab.get('marker', { node: follower })).toMatchObject({ status: 'ok', value: 'm' });
    const leaked = (await lab.log(newLeader.id)).map((entry) => putOf(entry)?.key).filter((key) => key?.startsWith('pinned-'));
    const redirected = lab.eventsSince(probedAt, isType('raft'))
      .filter((event) => event.node === follower && event.event.kind === 'proposal-rejected');
    expect({ leaked, redirected: redirected.length }, 'writes the client sent after its deadline to nodes it was not pinned to')
      .toEqual({ leaked: [], redirected: 0 });
  });
});
