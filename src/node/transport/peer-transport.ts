// Peer-to-peer transport of one node process. It moves frames between node processes and applies the lab's link
// faults on the way; it knows nothing of what they carry beyond their sender and receiver (the codec says where they
// are). Raft nodes move PeerFrames (createPeerTransport); the relay of a student's own node (src/node/maelstrom)
// moves its Maelstrom messages through the same code, so every link fault applies to them unchanged.
//
// Topology: each node binds one ROUTER (inbound) and opens one DEALER per peer (outbound). Faults are applied
// at the sender (outbound table: block, drop, delay, jitter, duplicate) and blocks also at the receiver
// (`blockedFrom`), so a partition holds even if one side's table is stale.
import { attempt } from '../../protocol/check';
import { checkFaultTable, EMPTY_FAULT_TABLE, NO_LINK_FAULTS, type FaultTable } from '../../protocol/link-faults';
import { MAX_NODE_ID } from '../../protocol/validate';
import { decodePeerFrame, encodePeerFrame, MAX_PEER_FRAME_BYTES, type PeerFrame } from '../../protocol/wire';
import type { NodeId } from '../../raft/types';
import { planDelivery, type SendFate } from './delivery-plan';
import { bindInboundReceiver, type FrameDecoder, type InboundReceiver, type InvalidFrameInfo } from './inbound-receiver';
import { OutboundLink } from './outbound-link';
import { zeroPeerLinkStats, type PeerLinkStats, type TransportStats } from './transport-stats';

export type { SendFate } from './delivery-plan';
export type { InvalidFrameInfo } from './inbound-receiver';
export type { PeerLinkStats, TransportStats } from './transport-stats';

export const DEFAULT_MAX_QUEUED_FRAMES_PER_PEER = 1024;
export const DEFAULT_SEND_HIGH_WATER_MARK = 256;

/** How a transport reads, writes and addresses the frames it carries. */
export interface FrameCodec<F> {
  readonly decode: FrameDecoder<F>;
  encode(frame: F): Buffer;
  /** Frames encoding to more bytes than this are dropped at the sender (the receiver would refuse them). */
  readonly maxFrameBytes: number;
  from(frame: F): NodeId;
  to(frame: F): NodeId;
  id(frame: F): string;
}

/** Raft's own frames (src/protocol/wire.ts). */
export const PEER_FRAME_CODEC: FrameCodec<PeerFrame> = {
  decode: decodePeerFrame,
  encode: encodePeerFrame,
  maxFrameBytes: MAX_PEER_FRAME_BYTES,
  from: (frame) => frame.msg.from,
  to: (frame) => frame.msg.to,
  id: (frame) => frame.id,
};

export type PeerTransportOptions = FrameTransportOptions<PeerFrame>;
export type PeerTransport = FrameTransport<PeerFrame>;

export interface FrameTransportOptions<F> {
  readonly selfId: NodeId;
  readonly host?: '127.0.0.1';
  /** Multiplies every injected delay (slow motion > 1). Default 1. */
  readonly timeScale?: number;
  /** A valid frame addressed to this node arrived on an unblocked link. */
  onMessage(frame: F): void;
  /** Bytes that are not a valid frame for this node arrived; they were dropped. */
  onInvalidFrame(info: InvalidFrameInfo): void;
  /** Called once per `send`, synchronously, with what the link faults and the queue decided. */
  onSent?(frame: F, fate: SendFate): void;
  /** A valid frame arrived from a peer in `blockedFrom`; it was dropped. */
  onInboundBlocked?(frame: F): void;
  /** A callback above threw. The transport keeps going; default: print to stderr. */
  onCallbackError?(error: unknown): void;
  /** Source of randomness for drop/duplicate/jitter; pass a seeded one to replay a run. Default Math.random. */
  readonly random?: () => number;
  readonly maxQueuedFramesPerPeer?: number;
  readonly sendHighWaterMark?: number;
}

export interface FrameTransport<F> {
  readonly selfId: NodeId;
  /** The bound inbound address, e.g. "tcp://127.0.0.1:41357"; give it to the peers. */
  readonly endpoint: string;
  /** The whole peer table (id -> endpoint). Connects new peers, reconnects moved ones, drops removed ones. */
  setPeers(peers: Readonly<Record<NodeId, string>>): void;
  /** Never blocks and never throws for network reasons; the outcome is reported through onSent and stats(). */
  send(frame: F): void;
  setFaults(table: FaultTable): void;
  setTimeScale(timeScale: number): void;
  stats(): TransportStats;
  close(): Promise<void>;
}

const ENDPOINT_PATTERN = /^tcp:\/\/[^\s/]+:\d{1,5}$/;

export function createPeerTransport(options: PeerTransportOptions): Promise<PeerTransport> {
  return createFrameTransport(options, PEER_FRAME_CODEC);
}

export async function createFrameTransport<F>(options: FrameTransportOptions<F>, codec: FrameCodec<F>): Promise<FrameTransport<F>> {
  assertNodeId(options.selfId, 'selfId');
  const host = options.host ?? '127.0.0.1';
  const random = options.random ?? Math.random;
  const maxQueuedFrames = options.maxQueuedFramesPerPeer ?? DEFAULT_MAX_QUEUED_FRAMES_PER_PEER;
  const sendHighWaterMark = options.sendHighWaterMark ?? DEFAULT_SEND_HIGH_WATER_MARK;
  const printCallbackError = (error: unknown): void => console.error('peer transport: a callback threw', error);
  const reportCallbackError = (error: unknown): void => {
    try {
      (options.onCallbackError ?? printCallbackError)(error);
    } catch (reportError) {
      printCallbackError(reportError); // the error reporter itself must not take the receive loop down
    }
  };
  // Unique per transport instance, so a restarted node is a new sender to its peers' ROUTERs. Not from node:crypto:
  // loading it (OpenSSL's bindings) cost every node ~1 MB of resident memory for these 48 bits (docs/benchmarks.md).
  const routingId = `S${options.selfId}.${Math.floor(Math.random() * 2 ** 48).toString(16).padStart(12, '0')}`;

  let timeScale = checkedTimeScale(options.timeScale ?? 1);
  let faults: FaultTable = EMPTY_FAULT_TABLE;
  let blockedFrom = new Set<NodeId>();
  let closed = false;
  let invalidTotal = 0;
  let unroutable = 0;
  const links = new Map<NodeId, OutboundLink>();
  const counters = new Map<NodeId, PeerLinkStats>();

  const countersFor = (peer: NodeId): PeerLinkStats => {
    let existing = counters.get(peer);
    if (existing === undefined) {
      existing = zeroPeerLinkStats();
      counters.set(peer, existing);
    }
    return existing;
  };

  const guarded = <A extends unknown[]>(callback: ((...args: A) => void) | undefined, ...args: A): void => {
    if (callback === undefined) return;
    try {
      callback(...args);
    } catch (error) {
      reportCallbackError(error);
    }
  };

  const reportInvalid = (info: InvalidFrameInfo): void => {
    invalidTotal += 1;
    const claimedPeer = peerOfRoutingId(info.fromEndpoint);
    if (claimedPeer !== undefined) countersFor(claimedPeer).invalid += 1;
    guarded(options.onInvalidFrame, info);
  };

  const receiver: InboundReceiver = await bindInboundReceiver(host, codec.decode, {
    onFrame(frame, senderRoutingId) {
      const to = codec.to(frame);
      const from = codec.from(frame);
      if (to !== options.selfId) {
        const error = `frame ${codec.id(frame)} is addressed to S${to}, but this is S${options.selfId}`;
        reportInvalid(senderRoutingId === undefined ? { error, bytes: 0 } : { error, bytes: 0, fromEndpoint: senderRoutingId });
        return;
      }
      const peerCounters = countersFor(from);
      if (blockedFrom.has(from)) {
        peerCounters.blockedInbound += 1;
        guarded(options.onInboundBlocked, frame);
        return;
      }
      peerCounters.received += 1;
      guarded(options.onMessage, frame);
    },
    onInvalid: reportInvalid,
    onReceiveError: reportCallbackError,
  });

  const send = (frame: F): void => {
    if (closed) return;
    const peer = codec.to(frame);
    const link = links.get(peer);
    if (link === undefined) {
      unroutable += 1;
      if (Number.isInteger(peer) && peer >= 1 && peer <= MAX_NODE_ID) countersFor(peer).dropped += 1;
      guarded(options.onSent, frame, 'dropped');
      return;
    }
    const peerCounters = countersFor(peer);
    const plan = planDelivery(faults.outbound[peer] ?? NO_LINK_FAULTS, timeScale, random);
    if (plan.fate === 'blocked' || plan.fate === 'dropped') {
      if (plan.fate === 'blocked') peerCounters.blocked += 1;
      else peerCounters.dropped += 1;
      guarded(options.onSent, frame, plan.fate);
      return;
    }
    const bytes = codec.encode(frame);
    if (bytes.byteLength > codec.maxFrameBytes) {
      peerCounters.dropped += 1; // the receiver would reject it anyway; do not waste the link on it
      guarded(options.onSent, frame, 'dropped');
      return;
    }
    const admitted = link.admit(bytes, plan.copyDelaysMs);
    const lostToFullQueue = plan.copyDelaysMs.length - admitted;
    peerCounters.dropped += lostToFullQueue;
    peerCounters.droppedQueueFull += lostToFullQueue;
    if (admitted === 2) peerCounters.duplicated += 1;
    const fate: SendFate = admitted === 0 ? 'dropped' : admitted === 2 ? 'duplicated' : 'sent';
    guarded(options.onSent, frame, fate);
  };

  const setPeers = (peers: Readonly<Record<NodeId, string>>): void => {
    if (closed) return;
    const wanted = new Map<NodeId, string>();
    for (const [key, endpoint] of Object.entries(peers)) {
      const peer = Number(key);
      assertNodeId(peer, `peer id "${key}"`);
      if (!ENDPOINT_PATTERN.test(endpoint)) throw new RangeError(`endpoint of S${peer} is not tcp://host:port: "${endpoint}"`);
      if (peer !== options.selfId) wanted.set(peer, endpoint);
    }
    for (const [peer, link] of links) {
      if (!wanted.has(peer)) {
        link.close();
        links.delete(peer);
      }
    }
    for (const [peer, endpoint] of wanted) {
      const link = links.get(peer);
      if (link === undefined) {
        links.set(peer, new OutboundLink(peer, endpoint, { routingId, maxQueuedFrames, sendHighWaterMark }, countersFor(peer)));
      } else {
        link.retarget(endpoint);
      }
    }
  };

  return {
    selfId: options.selfId,
    endpoint: receiver.endpoint,
    setPeers,
    send,
    setFaults(table) {
      // Checked here too (it is cheap and rare): a malformed table would silently turn into "no faults".
      const parsed = attempt(checkFaultTable, table);
      if (!parsed.ok) throw new RangeError(`invalid fault table: ${parsed.error}`);
      faults = parsed.value;
      blockedFrom = new Set(faults.blockedFrom);
    },
    setTimeScale(scale) {
      timeScale = checkedTimeScale(scale);
    },
    stats() {
      const peers: Record<NodeId, PeerLinkStats> = {};
      for (const [peer, peerCounters] of counters) peers[peer] = { ...peerCounters };
      return { peers, invalid: invalidTotal, unroutable };
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const link of links.values()) link.close();
      links.clear();
      await receiver.close();
    },
  };
}

function assertNodeId(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 1 || value > MAX_NODE_ID) {
    throw new RangeError(`${what} must be a node id in 1..${MAX_NODE_ID}, got ${value}`);
  }
}

function checkedTimeScale(scale: number): number {
  if (!Number.isFinite(scale) || scale <= 0) throw new RangeError(`time scale must be a positive finite number, got ${scale}`);
  return scale;
}

/** Our routing ids are "S<id>.<nonce>"; anything else (a raw socket, a fuzzer) is not attributed to a peer. */
function peerOfRoutingId(routingId: string | undefined): NodeId | undefined {
  const match = routingId === undefined ? null : /^S(\d{1,2})\./.exec(routingId);
  const peer = match?.[1] === undefined ? undefined : Number(match[1]);
  return peer !== undefined && peer >= 1 && peer <= MAX_NODE_ID ? peer : undefined;
}
