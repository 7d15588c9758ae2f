// No peer, client or lab frame can crash a node: valid frames of every kind, built from the cluster's live state
// (its term, log and leader) and then mutated one field at a time (an entry of term 0, indices that skip, a term far
// ahead, a forged leader, a snapshot that is not one, a reply about entries never sent, ...), are thrown at a running
// node's peer socket, its client socket and its control channel. Garbage bytes are malformed-frames.test.ts's job;
// here the frames are well-formed enough to reach the core, the KV and the runtime. Afterwards every node is the same
// process, none reported a core failure, and the cluster still elects a leader and serves a put and a read.
// (Some mutations are Byzantine, e.g. a well-formed snapshot a leader never took: Raft trusts its peers, so they may
// change what a node stores; what they must never do is stop it.)
import { afterEach, describe, expect, it } from 'vitest';
import type { Dealer } from 'zeromq';
import { Prng } from '../../../src/sim/engine/prng';
import type { LabEvent } from '../../../src/protocol/events';
import { CONTROL_PROTOCOL_VERSION, STEP_ACTIONS } from '../../../src/protocol/control';
import type { NodeView } from '../../../src/protocol/lab-api';
import type { NodeId } from '../../../src/raft/types';
import { isProcessAlive } from '../../helpers/lab-process';
import { clientEndpointOf, closeAllLabs, CLUSTER_DEADLINE_MS, ClusterLab, eventually, isType, putRetryingUnknown, rawDealer, testSeed } from './cluster-harness';

const PEER_FRAMES_PER_NODE = 400;
const CLIENT_FRAMES_PER_NODE = 150;
const LAB_FRAMES_PER_NODE = 60;
/** The size of the last (invalid) frame sent to a peer socket: its report marks that every earlier frame was judged. */
const PEER_MARKER_BYTES = 4343;
/** What forged peer frames carry, so that a node's reports show when it took them in (forgedStateTakenIn). */
const FORGED_CLIENT = 'forged';
const FORGED_SNAPSHOT_VALUE = 'from-a-forged-snapshot';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

afterEach(closeAllLabs);

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

/** Values that break one rule or another: zero terms, negatives, fractions, past the safe integers, wrong types. */
function oddValue(prng: Prng, near: number): Json {
  const values: Json[] = [0, -1, 1, 2, near - 1, near, near + 1, near + 2, near + 1000, 1.5, 2 ** 52, 2 ** 53, -0, '', 'x', null, true, [], {}];
  return values[prng.int(0, values.length)] ?? 0;
}

/** Every path to a leaf or container inside `value`. */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(value)) value.forEach((item, index) => out.push(...paths(item, [...prefix, index])));
  else if (typeof value === 'object' && value !== null) for (const [key, item] of Object.entries(value)) out.push(...paths(item, [...prefix, key]));
  return out;
}

/** A copy of `value` with one to three changes at random paths (replaced by an odd value, a neighbour, or removed). */
function mutate(value: Json, prng: Prng, near: number): Json {
  const copy = JSON.parse(JSON.stringify(value)) as Json;
  for (let change = prng.int(1, 4); change > 0; change -= 1) {
    const all = paths(copy).filter((path) => path.length > 0);
    const path = all[prng.int(0, all.length)];
    if (path === undefined) break;
    let parent = copy as Record<string | number, Json>;
    for (const step of path.slice(0, -1)) parent = parent[step] as Record<string | number, Json>;
    const last = path[path.length - 1] as string | number;
    const current = parent[last];
    const roll = prng.float();
    if (roll < 0.5) parent[last] = oddValue(prng, near);
    else if (roll < 0.8 && typeof current === 'number') parent[last] = current + prng.int(-2, 3);
    else if (roll < 0.9 && !Array.isArray(parent)) delete parent[last];
    else if (Array.isArray(current)) current.reverse();
    else parent[last] = oddValue(prng, near);
  }
  return copy;
}

/** Valid Raft messages to `to`, as its peers or a leader could send them in the cluster's present state. */
function peerTemplates(to: NodeView, nodes: readonly NodeView[], leader: NodeView, lastTerm: number): Json[] {
  const others = nodes.filter((node) => node.id !== to.id).map((node) => node.id);
  const from = others.find((id) => id !== leader.id) ?? others[0] ?? 1;
  const term = leader.term;
  const last = leader.lastLogIndex;
  const put = (index: number): string => JSON.stringify({ clientId: FORGED_CLIENT, session: 1, seq: index, op: 'put', key: 'fuzz', value: `forged-${index}` });
  const kvSnapshot = (index: number): string => JSON.stringify({ v: 2, appliedIndex: index, values: [['fuzz', FORGED_SNAPSHOT_VALUE]], sessions: [], malformedCommandCount: 0 });
  return [
    { type: 'RequestVote', from, to: to.id, term: term + 1, lastLogIndex: last, lastLogTerm: lastTerm, preVote: true },
    { type: 'RequestVote', from, to: to.id, term: term + 1, lastLogIndex: last + 5, lastLogTerm: term, preVote: false },
    { type: 'RequestVoteReply', from, to: to.id, term, voteGranted: true, preVote: false },
    { type: 'RequestVoteReply', from, to: to.id, term: term + 1, voteGranted: true, preVote: true },
    { type: 'AppendEntries', from: leader.id === to.id ? from : leader.id, to: to.id, term, prevLogIndex: last, prevLogTerm: lastTerm,
      entries: [{ index: last + 1, term, command: null }, { index: last + 2, term, command: put(last + 2) }], leaderCommit: leader.commitIndex, readRound: 0 },
    { type: 'AppendEntries', from, to: to.id, term: term + 1, prevLogIndex: Math.max(0, leader.commitIndex - 1), prevLogTerm: lastTerm,
      entries: [{ index: Math.max(1, leader.commitIndex), term: term + 1, command: put(1) }], leaderCommit: last + 3, readRound: 7 },
    { type: 'AppendEntriesReply', from, to: to.id, term, success: true, matchIndex: last, conflictTerm: 0, conflictIndex: 0, readRound: 2 ** 30 },
    { type: 'AppendEntriesReply', from, to: to.id, term, success: false, matchIndex: 0, conflictTerm: lastTerm, conflictIndex: 1, readRound: 0 },
    { type: 'InstallSnapshot', from: leader.id === to.id ? from : leader.id, to: to.id, term, lastIncludedIndex: last + 10, lastIncludedTerm: term,
      offset: 0, data: kvSnapshot(last + 10), done: true },
    { type: 'InstallSnapshot', from, to: to.id, term: term + 1, lastIncludedIndex: last + 20, lastIncludedTerm: term, offset: 0,
      data: '{"not":"a KV snapshot"}', done: true },
    { type: 'InstallSnapshot', from, to: to.id, term, lastIncludedIndex: last + 30, lastIncludedTerm: term, offset: 0, data: 'half of a', done: false },
    { type: 'InstallSnapshotReply', from, to: to.id, term, lastIncludedIndex: last + 40, bytesStored: 10, done: true },
  ];
}

/** Valid client requests: register, reads, writes of live, expired and made-up sessions. */
function clientTemplates(prng: Prng): Json[] {
  const session = prng.int(1, 60);
  return [
    { v: 1, requestId: `fz-${prng.int(0, 1e9)}`, clientId: 'fuzzer', seq: 0, op: 'register' },
    { v: 1, requestId: `fz-${prng.int(0, 1e9)}`, clientId: 'fuzzer', seq: 0, op: 'get', key: 'fuzz' },
    { v: 1, requestId: `fz-${prng.int(0, 1e9)}`, clientId: 'fuzzer', session, seq: prng.int(1, 5), op: 'put', key: 'fuzz-client', value: 'v' },
    { v: 1, requestId: `fz-${prng.int(0, 1e9)}`, clientId: 'fuzzer', session, seq: prng.int(1, 5), op: 'cas', key: 'fuzz-client', from: 'v', to: 'w' },
    { v: 1, requestId: `fz-${prng.int(0, 1e9)}`, clientId: 'fuzzer', session, seq: prng.int(1, 5), op: 'delete', key: 'fuzz-client' },
  ];
}

/** Valid lab-to-node frames that may be sent at any time (no shutdown, clock, peers or faults: those change the cluster on purpose). */
function labTemplates(prng: Prng, secret: string): Json[] {
  const base = { v: CONTROL_PROTOCOL_VERSION, secret };
  return [
    { ...base, type: 'query', queryId: prng.int(0, 1e6) },
    { ...base, type: 'step', stepId: prng.int(0, 1e6), action: STEP_ACTIONS[prng.int(0, STEP_ACTIONS.length)] ?? 'timer', messageId: `9.fz-${prng.int(0, 100)}` },
    { ...base, type: 'step', stepId: prng.int(0, 1e6), action: 'timer' },
  ];
}

async function sendAll(socket: Dealer, payloads: readonly Buffer[]): Promise<void> {
  for (const payload of payloads) await socket.send(payload);
}

const nodeError = (node: NodeId, text: string) => (event: LabEvent): event is Extract<LabEvent, { type: 'error' }> =>
  event.type === 'error' && event.node === node && event.message.includes(text);

/**
 * The first forged state a node reported taking in since `from`: a KV restored from a forged snapshot (its marker
 * value), or a forged put written to its log (client 'forged'). Null when there is none.
 */
function forgedStateTakenIn(lab: ClusterLab, from: number): string | null {
  const restored = lab.eventsSince(from, isType('kv-state'))
    .find((event) => event.entries?.some(([, value]) => value === FORGED_SNAPSHOT_VALUE));
  if (restored) return `S${restored.node} restored a forged snapshot at index ${restored.index}`;
  const written = lab.eventsSince(from, isType('log-write'))
    .find((event) => event.entries.some((entry) => entry.command?.includes(`"clientId":"${FORGED_CLIENT}"`) ?? false));
  return written ? `S${written.node} wrote a forged entry` : null;
}

describe('mutated valid frames at every socket of a running node', () => {
  it('never crash it: the node keeps its process, reports no core failure, and the cluster serves a put (seed printed)', async () => {
    const seed = testSeed('frame fuzz');
    const prng = new Prng(seed);
    const lab = await ClusterLab.start({ nodeCount: 3 });
    await lab.waitForLeader();
    await putRetryingUnknown(lab, 'before-fuzz', 'kept'); // setup: some history before the fuzz
    const before = (await lab.snapshot()).nodes;
    const startedAt = lab.mark();
    const counts = { peer: 0, client: 0, lab: 0 };

    for (const target of before) {
      const snapshot = await lab.snapshot();
      const leader = snapshot.nodes.find((node) => node.role === 'leader') ?? snapshot.nodes[0] as NodeView;
      const near = leader.term;
      // Peer socket: each frame is a template as is (sometimes) or mutated, wrapped in a valid peer frame.
      const lastTerm = (await lab.log(leader.id)).at(-1)?.term ?? 0;
      const templates = peerTemplates(snapshot.nodes.find((node) => node.id === target.id) ?? target, snapshot.nodes, leader, lastTerm);
      const peerFrames: Buffer[] = [];
      for (let i = 0; i < PEER_FRAMES_PER_NODE; i += 1) {
        const template = templates[prng.int(0, templates.length)] as Json;
        const msg = prng.float() < 0.15 ? template : mutate(template, prng, near);
        const frame: Json = { v: 1, id: `9.fz-${i}`, sentAtNs: 1, msg };
        peerFrames.push(json(prng.float() < 0.05 ? mutate(frame, prng, near) : frame));
      }
      const peer = rawDealer(target.peerEndpoint as string);
      await sendAll(peer, [...peerFrames, Buffer.alloc(PEER_MARKER_BYTES, 0x20)]);
      counts.peer += peerFrames.length;
      await lab.waitForEvent(startedAt, nodeError(target.id, `dropped an invalid peer frame (${PEER_MARKER_BYTES} bytes)`),
        `S${target.id} to judge every frame sent to its peer socket (seed=${seed})`);

      // Client socket: valid and mutated requests; the answer to a final read shows every earlier one was taken in.
      const client = rawDealer(clientEndpointOf(lab.controller, target.id), { receiveTimeoutMs: CLUSTER_DEADLINE_MS });
      const clientFrames = Array.from({ length: CLIENT_FRAMES_PER_NODE }, () => {
        const all = clientTemplates(prng);
        const template = all[prng.int(0, all.length)] as Json;
        return json(prng.float() < 0.3 ? template : mutate(template, prng, 1));
      });
      await sendAll(client, clientFrames);
      counts.client += clientFrames.length;
      const markerId = `fz-marker-${target.id}`;
      await client.send(json({ v: 1, requestId: markerId, clientId: 'fuzzer', seq: 0, op: 'get', key: 'fuzz' }));
      await eventually(async () => {
        const [reply] = await client.receive();
        return (JSON.parse(reply?.toString('utf8') ?? '{}') as { requestId?: unknown }).requestId === markerId ? true : null;
      }, CLUSTER_DEADLINE_MS, `S${target.id}'s client socket to answer the marker read (seed=${seed})`);

      // Control channel (from the lab's own socket, with the run's secret): valid and mutated lab frames.
      const control = lab.controller['control'];
      const secret = lab.controller['supervisor']['secret'];
      for (let i = 0; i < LAB_FRAMES_PER_NODE; i += 1) {
        const all = labTemplates(prng, secret);
        const template = all[prng.int(0, all.length)] as Json;
        await control.send([`node-${target.id}`, json(prng.float() < 0.4 ? template : mutate(template, prng, 1))]);
        counts.lab += 1;
      }
    }
    console.log(`[frame fuzz] seed=${seed}: ${counts.peer} peer, ${counts.client} client and ${counts.lab} lab frames`);
    const fuzzEnded = lab.mark();

    // The same processes, all alive; none stopped on a core failure; the cluster still elects, commits and serves.
    // Not `established`: a forged commitment may leave the leader unable to commit anything (see below), and that
    // outcome must reach the put's check rather than time out here.
    const leader = await lab.waitForLeader({ deadlineMs: 3 * CLUSTER_DEADLINE_MS, established: false });
    for (const node of before) {
      expect(isProcessAlive(node.pid as number), `S${node.id} (pid ${node.pid}) is alive, seed=${seed}`).toBe(true);
      expect(await lab.node(node.id), `seed=${seed}`).toMatchObject({ status: 'running', pid: node.pid });
    }
    expect(lab.eventsSince(startedAt, isType('node-status')), `seed=${seed}`).toEqual([]);
    const stopped = lab.eventsSince(startedAt, isType('error')).filter((event) => /stopped:|the Raft core failed/.test(event.message));
    expect(stopped.map((event) => event.message), `seed=${seed}`).toEqual([]);
    const invalid = lab.eventsSince(startedAt, isType('error')).filter((event) => event.message.includes('invalid peer frame'));
    expect(invalid.length, `seed=${seed}: the wire refused whole-message-invalid frames`).toBeGreaterThan(before.length);
    // A forged snapshot may have replaced a node's KV, sessions included: the lab client's first write may then be
    // answered session-expired (reported unknown, never applied twice); its next write opens a new session.
    let written = await lab.put('after-fuzz', 'fine', { node: leader.id });
    for (let attempt = 1; attempt < 3 && written.status === 'unknown' && /session \d+ expired/.test(written.error ?? ''); attempt += 1) {
      written = await lab.put('after-fuzz', 'fine', { node: leader.id });
    }
    if (written.status !== 'ok') {
      // Raft trusts its peers: a forged leader of a newer term can make a follower commit entries the real leader
      // never had (a Byzantine fault), and from then on that follower rightly refuses the real leader's conflicting
      // entries (Leader Completeness), so with two such followers nothing commits. That is the one way the cluster may
      // stop serving here, and the nodes must say so; anything else is a failure (seed 215170264 does this).
      // Refusals of the real leader's own AppendEntries, after the fuzz: the forged commitment is what stops it.
      const refusal = new RegExp(`^AppendEntries from S${leader.id} ignored as invalid: .* is committed with term .*Leader Completeness`);
      const refusals = lab.eventsSince(fuzzEnded, isType('raft'))
        .filter((event) => event.event.kind === 'message-ignored' && refusal.test(event.event.reason));
      expect(refusals.length, `seed=${seed}: the put failed (${JSON.stringify(written)}; ${await lab.describe()}) and no node ` +
        `reported refusing leader S${leader.id}'s entries for conflicting with what it committed`).toBeGreaterThan(0);
      console.log(`[frame fuzz] seed=${seed}: forged commitment left the cluster unable to commit; ${refusals.length} refusals reported, e.g. ` +
        (refusals[0]?.event.reason ?? ''));
      return;
    }
    const read = await lab.get('after-fuzz', { node: leader.id });
    if (read.status === 'ok' && read.value === 'fine') return;
    // A read that misses an acknowledged put is allowed only where a node took in forged state (a snapshot or an entry
    // no leader made, which Raft cannot tell from real ones), and the nodes' own reports must show it (seed 215170264
    // gave a null read this way, on 6c9b327).
    const forged = forgedStateTakenIn(lab, startedAt);
    expect(forged, `seed=${seed}: ${JSON.stringify(read)} after an ok put, and no node reported taking in a forged snapshot ` +
      `or entry; ${await lab.describe()}`).not.toBeNull();
    console.log(`[frame fuzz] seed=${seed}: the read after the put gave ${JSON.stringify(read)}; forged state taken in: ${forged ?? ''}`);
  });
});
