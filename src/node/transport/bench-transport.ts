// Round-trip latency between two peer transports on 127.0.0.1, through the full path (encode, fault check,
// queue, ZeroMQ, decode + zod validation). Run: npx tsx src/node/transport/bench-transport.ts [roundTrips]
import { monotonicNowNs } from '../../shared/monotonic-clock';
import type { PeerFrame } from '../../protocol/wire';
import type { AppendEntries, NodeId } from '../../raft/types';
import { createPeerTransport } from './peer-transport';

const WARMUP_ROUND_TRIPS = 500;
const roundTrips = Number(process.argv[2] ?? 10_000);

function heartbeatFrame(from: NodeId, to: NodeId, seq: number): PeerFrame {
  const msg: AppendEntries = { type: 'AppendEntries', from, to, term: 1, prevLogIndex: seq, prevLogTerm: 1, entries: [], leaderCommit: seq, readRound: 0 };
  return { v: 1, id: `${from}-${seq}`, sentAtNs: monotonicNowNs(), msg };
}

function percentile(sortedValues: readonly number[], fraction: number): number {
  return sortedValues[Math.min(sortedValues.length - 1, Math.floor(sortedValues.length * fraction))] ?? Number.NaN;
}

async function main(): Promise<void> {
  if (!Number.isInteger(roundTrips) || roundTrips < 1) throw new RangeError(`roundTrips must be a positive integer, got ${process.argv[2]}`);
  let resolveReply: (() => void) | null = null;
  const failOnInvalid = (info: { error: string }): void => {
    throw new Error(`bench saw an invalid frame: ${info.error}`);
  };
  const pinger = await createPeerTransport({
    selfId: 1,
    onMessage: () => resolveReply?.(),
    onInvalidFrame: failOnInvalid,
  });
  const ponger = await createPeerTransport({
    selfId: 2,
    onMessage: (frame) => ponger.send(heartbeatFrame(2, 1, frame.msg.term)),
    onInvalidFrame: failOnInvalid,
  });
  const table = { 1: pinger.endpoint, 2: ponger.endpoint };
  pinger.setPeers(table);
  ponger.setPeers(table);

  const roundTripMs: number[] = [];
  for (let seq = 0; seq < WARMUP_ROUND_TRIPS + roundTrips; seq += 1) {
    const replied = new Promise<void>((resolve) => {
      resolveReply = resolve;
    });
    const startNs = monotonicNowNs();
    pinger.send(heartbeatFrame(1, 2, seq));
    await replied;
    if (seq >= WARMUP_ROUND_TRIPS) roundTripMs.push((monotonicNowNs() - startNs) / 1e6);
  }
  await Promise.all([pinger.close(), ponger.close()]);

  roundTripMs.sort((a, b) => a - b);
  const meanMs = roundTripMs.reduce((total, value) => total + value, 0) / roundTripMs.length;
  const format = (ms: number): string => `${ms.toFixed(3)} ms`;
  console.log(`peer transport round trip over tcp://127.0.0.1, ${roundTripMs.length} round trips (after ${WARMUP_ROUND_TRIPS} warm-up)`);
  console.log(`  p50 ${format(percentile(roundTripMs, 0.5))}  p99 ${format(percentile(roundTripMs, 0.99))}  ` +
    `mean ${format(meanMs)}  max ${format(roundTripMs.at(-1) ?? Number.NaN)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
