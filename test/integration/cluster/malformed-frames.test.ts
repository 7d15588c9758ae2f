// Garbage at every socket of a running lab: each node's peer socket and client socket, and the lab's control
// socket. Random bytes, JSON of the wrong shape, truncated frames, multi-part and empty messages, and an 8 MiB
// frame. Every node must stay up, nobody restarts, and the cluster still elects, commits and serves.
import { afterEach, describe, expect, it } from 'vitest';
import type { Dealer } from 'zeromq';
import { Prng } from '../../../src/sim/engine/prng';
import type { LabEvent } from '../../../src/protocol/events';
import type { NodeId } from '../../../src/raft/types';
import { MAX_SNAPSHOT_CHUNK_CHARS } from '../../../src/protocol/wire';
import { isProcessAlive } from '../../helpers/lab-process';
import { clientEndpointOf, closeAllLabs, CLUSTER_DEADLINE_MS, ClusterLab, eventually, isType, rawDealer, testSeed } from './cluster-harness';

const HUGE_FRAME_BYTES = 8 * 1024 * 1024;
const RANDOM_FRAMES = 40;
/** Size of the last (invalid) frame sent to a peer socket: no other fuzz frame has it, so its report marks the end. */
const PEER_MARKER_BYTES = 4242;

type Payload = Buffer | Buffer[];

afterEach(closeAllLabs);

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

/** Well-formed frames of every kind (without a valid secret): cut short or sent to the wrong socket, they are garbage. */
function wellFormedSamples(): Buffer[] {
  return [
    json({ v: 1, id: 'fuzz-1', sentAtNs: 1, msg: { type: 'AppendEntries', from: 2, to: 1, term: 1, prevLogIndex: 0, prevLogTerm: 0,
      entries: [{ index: 1, term: 1, command: 'x' }], leaderCommit: 0, readRound: 0 } }),
    json({ v: 1, requestId: 'fuzz-put', clientId: 'fuzzer', seq: 1, op: 'put', key: 'fuzz', value: 'nope' }),
    json({ v: 1, secret: 'f'.repeat(48), type: 'hello', node: 1, pid: 1, peerEndpoint: 'tcp://127.0.0.1:1',
      clientEndpoint: 'tcp://127.0.0.1:2', atNs: 0, recovered: { term: 9, lastIndex: 9, tornTailBytes: 0 } }),
  ];
}

function randomJson(prng: Prng, depth = 0): unknown {
  switch (prng.int(0, depth > 2 ? 4 : 6)) {
    case 0: return prng.int(-1e6, 1e6);
    case 1: return Buffer.from(Array.from({ length: prng.int(0, 20) }, () => prng.int(32, 127))).toString('latin1');
    case 2: return prng.chance(0.5);
    case 3: return null;
    case 4: return Array.from({ length: prng.int(0, 4) }, () => randomJson(prng, depth + 1));
    default: return Object.fromEntries(Array.from({ length: prng.int(0, 5) },
      () => [prng.pick(['v', 'type', 'msg', 'op', 'key', 'secret', 'node', 'events', 'requestId', 'zz']), randomJson(prng, depth + 1)]));
  }
}

/**
 * Peer frames of the snapshot messages (§7) that are well-formed JSON but break one rule of the schema each: dropped
 * and reported. Peer sockets only: the first is bigger than a client socket accepts at all.
 */
function malformedSnapshotFrames(): Buffer[] {
  const install = { type: 'InstallSnapshot', from: 2, to: 1, term: 1, lastIncludedIndex: 5, lastIncludedTerm: 1, offset: 0,
    data: '{"values":[]}', done: true };
  const reply = { type: 'InstallSnapshotReply', from: 2, to: 1, term: 1, lastIncludedIndex: 5, bytesStored: 10, done: true };
  const frame = (msg: Record<string, unknown>): Buffer => json({ v: 1, id: 'fuzz-snap', sentAtNs: 1, msg });
  return [
    frame({ ...install, data: 'x'.repeat(MAX_SNAPSHOT_CHUNK_CHARS + 1) }), // one character past the chunk bound
    frame({ ...install, offset: -1 }),
    frame({ ...install, lastIncludedIndex: 0 }),
    frame({ ...install, data: 42 }),
    frame({ ...install, done: 'yes' }),
    frame({ ...install, extra: 1 }),
    frame(Object.fromEntries(Object.entries(install).filter(([key]) => key !== 'lastIncludedTerm'))),
    frame({ ...reply, bytesStored: 1.5 }),
    frame({ ...reply, lastIncludedIndex: -3 }),
    frame({ ...reply, done: null }),
  ];
}

/** Everything except the huge frame, in a seeded order. None of it is a valid frame for any socket. */
function fuzzPayloads(prng: Prng): Payload[] {
  const samples = wellFormedSamples();
  const payloads: Payload[] = [
    ...Array.from({ length: RANDOM_FRAMES }, () => Buffer.from(Array.from({ length: prng.int(1, 513) }, () => prng.int(0, 256)))),
    ...Array.from({ length: 10 }, () => json(randomJson(prng))),
    json({ hello: 'world' }), json([]), json(null), json(42), json('AppendEntries'),
    json({ v: 1, id: 'x', sentAtNs: 0, msg: { type: 'Gossip', from: 2, to: 1, term: 99 } }),
    json({ v: 1, requestId: 'x', clientId: 'y', seq: 0, op: 'drop-table', key: 'k' }),
    json({ v: 1, type: 'events', node: 1, pid: 1, events: [] }),
    ...samples.map((sample) => sample.subarray(0, prng.int(1, sample.length - 1))),
    Buffer.from([0xc3, 0x28]), // invalid UTF-8
    Buffer.alloc(0),
    [Buffer.from('part one'), Buffer.from('part two')],
    [Buffer.alloc(0), Buffer.alloc(0), Buffer.alloc(0)],
    samples,
  ];
  return prng.shuffled(payloads);
}

function hugeFrame(): Buffer {
  const frame = Buffer.alloc(HUGE_FRAME_BYTES, 0x61);
  frame.write('{"v":1,"pad":"');
  frame.write('"}', HUGE_FRAME_BYTES - 2);
  return frame;
}

async function sendAll(socket: Dealer, payloads: readonly Payload[]): Promise<void> {
  for (const payload of payloads) await socket.send(payload);
}

/** Sends `frame` on its own connection and waits until the far end has cut that connection (oversize message). */
async function sendUntilDisconnected(endpoint: string, frame: Buffer, what: string): Promise<void> {
  const socket = rawDealer(endpoint);
  let disconnected = false;
  socket.events.on('disconnect', () => { disconnected = true; });
  await socket.send(frame);
  await eventually(() => (disconnected ? true : null), CLUSTER_DEADLINE_MS, `${what} to drop the connection that sent ${frame.length} bytes`);
}

/** The client socket answers a valid read; once that answer is back, every frame sent before it has been judged. */
async function awaitClientMarker(socket: Dealer, node: NodeId): Promise<void> {
  const requestId = `fuzz-marker-${node}`;
  await socket.send(json({ v: 1, requestId, clientId: 'fuzzer', seq: 0, op: 'get', key: 'fuzz' }));
  await eventually(async () => {
    const [reply] = await socket.receive();
    return (JSON.parse(reply?.toString('utf8') ?? '{}') as { requestId?: unknown }).requestId === requestId ? true : null;
  }, CLUSTER_DEADLINE_MS, `S${node}'s client socket to answer the marker request`);
}

const nodeError = (node: NodeId, text: string) => (event: LabEvent): event is Extract<LabEvent, { type: 'error' }> =>
  event.type === 'error' && event.node === node && event.message.includes(text);

describe('malformed frames at every socket of a running lab', () => {
  it('leave every node up and the cluster serving', async () => {
    const seed = testSeed('cluster fuzz');
    const prng = new Prng(seed);
    const lab = await ClusterLab.start({ nodeCount: 3 });
    await lab.waitForLeader();
    const before = (await lab.snapshot()).nodes;
    const startedAt = lab.mark();
    const huge = hugeFrame();

    for (const node of before) {
      // Peer socket: it accepts up to 16 MiB, so even the huge frame reaches the decoder and is reported.
      const peer = rawDealer(node.peerEndpoint as string);
      await sendAll(peer, [...fuzzPayloads(prng), ...malformedSnapshotFrames(), huge, Buffer.alloc(PEER_MARKER_BYTES, 0x20)]);
      await lab.waitForEvent(startedAt, nodeError(node.id, `dropped an invalid peer frame (${PEER_MARKER_BYTES} bytes)`),
        `S${node.id} to report the last frame sent to its peer socket (seed=${seed})`);
      expect(lab.eventsSince(startedAt, nodeError(node.id, `(${HUGE_FRAME_BYTES} bytes): peer frame: frame of ${HUGE_FRAME_BYTES} bytes exceeds`)))
        .toHaveLength(1);
      // Each malformed snapshot frame was judged by the schema and reported with the field it broke.
      const snapshotRejections = lab.eventsSince(startedAt, nodeError(node.id, 'dropped an invalid peer frame'))
        .filter((event) => /msg\.(data|offset|lastIncludedIndex|lastIncludedTerm|done|bytesStored)\b|Unrecognized key/.test(event.message));
      expect(snapshotRejections.length, `S${node.id}'s reports of malformed snapshot frames (seed=${seed})`)
        .toBeGreaterThanOrEqual(malformedSnapshotFrames().length);

      // Client socket: frames past its 256 KiB ceiling cost the sender its connection, so the huge one goes alone.
      const client = rawDealer(clientEndpointOf(lab.controller, node.id), { receiveTimeoutMs: CLUSTER_DEADLINE_MS });
      await sendAll(client, fuzzPayloads(prng));
      await awaitClientMarker(client, node.id);
      await sendUntilDisconnected(clientEndpointOf(lab.controller, node.id), huge, `S${node.id}'s client socket`);
    }
    expect(lab.eventsSince(startedAt, isType('error')).filter((event) => event.node !== null && event.message.includes('invalid client frame')).length)
      .toBeGreaterThan(0);

    // The lab's control socket: rejected (reports are rate-limited), and the huge frame only costs its connection.
    const control = rawDealer(lab.controller.controlEndpoint);
    await sendAll(control, fuzzPayloads(prng));
    await lab.waitForEvent(startedAt, (event): event is LabEvent => event.type === 'error' && event.node === null &&
      event.message.startsWith('rejected a control frame'), `the lab to reject garbage on its control socket (seed=${seed})`);
    await sendUntilDisconnected(lab.controller.controlEndpoint, huge, 'the lab\'s control socket');

    // Same processes, all alive, nobody restarted or crashed; the cluster still elects, commits and serves.
    for (const node of before) {
      expect(isProcessAlive(node.pid as number), `S${node.id} (pid ${node.pid}) is alive, seed=${seed}`).toBe(true);
      expect(await lab.node(node.id)).toMatchObject({ status: 'running', pid: node.pid });
    }
    expect(lab.eventsSince(startedAt, isType('node-status')), `seed=${seed}`).toEqual([]);
    const leader = await lab.waitForLeader();
    expect(await lab.put('after-fuzz', 'fine', { node: leader.id })).toMatchObject({ status: 'ok' });
    expect(await lab.get('after-fuzz')).toMatchObject({ status: 'ok', value: 'fine' });
    expect(await lab.get('fuzz')).toMatchObject({ status: 'ok', value: null }); // no fuzz frame wrote anything
  });
});
