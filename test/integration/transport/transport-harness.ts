// Shared test helpers: frames, a seeded random source, condition waits with deadlines, and clusters of real
// transports on 127.0.0.1 that are always closed.
import { createPeerTransport, type PeerTransport, type PeerTransportOptions, type SendFate } from '../../../src/node/transport/peer-transport';
import type { InvalidFrameInfo } from '../../../src/node/transport/inbound-receiver';
import { monotonicNowNs } from '../../../src/shared/monotonic-clock';
import type { PeerFrame } from '../../../src/protocol/wire';
import type { AppendEntries, Message, NodeId } from '../../../src/raft/types';
import { seededRandom } from '../../../src/raft/random';

export { seededRandom };


/** TEST_SEED replays a run; otherwise a fresh seed, printed so a failure can be replayed. */
export function testSeed(testName: string): number {
  const fromEnv = process.env.TEST_SEED;
  const seed = fromEnv !== undefined && fromEnv !== '' ? Number(fromEnv) : Math.floor(Math.random() * 2 ** 31);
  console.log(`[${testName}] seed=${seed} (replay with TEST_SEED=${seed})`);
  return seed;
}

export function heartbeat(from: NodeId, to: NodeId, term = 1): AppendEntries {
  return { type: 'AppendEntries', from, to, term, prevLogIndex: 0, prevLogTerm: 0, entries: [], leaderCommit: 0, readRound: 0 };
}

let nextFrameSeq = 0;
export function frameOf(msg: Message): PeerFrame {
  nextFrameSeq += 1;
  return { v: 1, id: `${msg.from}-${nextFrameSeq}`, sentAtNs: monotonicNowNs(), msg };
}

/** Polls `condition` until it holds or `deadlineMs` passes; the failure message shows `describe()`. */
export async function waitFor(condition: () => boolean, deadlineMs: number, describe: () => string): Promise<void> {
  const giveUpAt = Date.now() + deadlineMs;
  while (!condition()) {
    if (Date.now() > giveUpAt) throw new Error(`condition not met within ${deadlineMs} ms: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** A transport plus everything it reported, for assertions. */
export interface RecordingNode {
  readonly id: NodeId;
  readonly transport: PeerTransport;
  readonly received: PeerFrame[];
  readonly receivedAtNs: number[];
  readonly invalid: InvalidFrameInfo[];
  readonly fates: { frame: PeerFrame; fate: SendFate }[];
  readonly blockedInbound: PeerFrame[];
  /** Errors thrown by the callbacks above (should stay empty) or unexpected receive errors. */
  readonly callbackErrors: unknown[];
}

export async function startNode(id: NodeId, extra: Partial<PeerTransportOptions> = {}): Promise<RecordingNode> {
  const received: PeerFrame[] = [];
  const receivedAtNs: number[] = [];
  const invalid: InvalidFrameInfo[] = [];
  const fates: { frame: PeerFrame; fate: SendFate }[] = [];
  const blockedInbound: PeerFrame[] = [];
  const callbackErrors: unknown[] = [];
  const transport = await createPeerTransport({
    selfId: id,
    onMessage(frame) {
      received.push(frame);
      receivedAtNs.push(monotonicNowNs());
    },
    onInvalidFrame: (info) => invalid.push(info),
    onSent: (frame, fate) => fates.push({ frame, fate }),
    onInboundBlocked: (frame) => blockedInbound.push(frame),
    onCallbackError: (error) => callbackErrors.push(error),
    ...extra,
  });
  return { id, transport, received, receivedAtNs, invalid, fates, blockedInbound, callbackErrors };
}

/** Starts fully connected nodes. Close with `closeAll` in afterEach. */
export async function startCluster(ids: readonly NodeId[], extra: Partial<PeerTransportOptions> = {}): Promise<RecordingNode[]> {
  const nodes = await Promise.all(ids.map((id) => startNode(id, extra)));
  const table: Record<NodeId, string> = {};
  for (const node of nodes) table[node.id] = node.transport.endpoint;
  for (const node of nodes) node.transport.setPeers(table);
  return nodes;
}

export async function closeAll(nodes: readonly RecordingNode[]): Promise<void> {
  await Promise.all(nodes.map((node) => node.transport.close()));
}

export function nodeOf(nodes: readonly RecordingNode[], id: NodeId): RecordingNode {
  const node = nodes.find((candidate) => candidate.id === id);
  if (node === undefined) throw new Error(`no node S${id} in this cluster`);
  return node;
}

/** Frames from `from` received by `node`. */
export function receivedFrom(node: RecordingNode, from: NodeId): PeerFrame[] {
  return node.received.filter((frame) => frame.msg.from === from);
}
