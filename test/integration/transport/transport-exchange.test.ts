// Real transports on 127.0.0.1 exchanging frames through the lab's link faults.
import { afterEach, describe, expect, it } from 'vitest';
import { monotonicNowNs } from '../../../src/shared/monotonic-clock';
import { NO_LINK_FAULTS, faultTablesForBlockedLinks, oneWay, partitionToBlockedLinks } from '../../../src/protocol/link-faults';
import type { NodeId } from '../../../src/raft/types';
import {
  closeAll, frameOf, heartbeat, nodeOf, receivedFrom, seededRandom, startCluster, testSeed, waitFor, type RecordingNode,
} from './transport-harness';

const DEADLINE_MS = 5_000;
let nodes: RecordingNode[] = [];
afterEach(async () => {
  for (const node of nodes) expect(node.callbackErrors).toEqual([]);
  await closeAll(nodes);
  nodes = [];
});

/** Sends one heartbeat per ordered pair and waits until every one that should arrive has. */
async function sendAllPairs(cluster: RecordingNode[], shouldArrive: (from: NodeId, to: NodeId) => boolean): Promise<void> {
  const expected = new Map<RecordingNode, number>();
  for (const sender of cluster) {
    for (const receiver of cluster) {
      if (sender === receiver) continue;
      sender.transport.send(frameOf(heartbeat(sender.id, receiver.id)));
      if (shouldArrive(sender.id, receiver.id)) expected.set(receiver, (expected.get(receiver) ?? 0) + 1);
    }
  }
  for (const [receiver, count] of expected) {
    await waitFor(() => receiver.received.length >= count, DEADLINE_MS, () => `S${receiver.id} got ${receiver.received.length}/${count}`);
  }
}

describe('peer transport over ZeroMQ', () => {
  it('delivers frames between three nodes, unchanged, in order per link', async () => {
    nodes = await startCluster([1, 2, 3]);
    for (const node of nodes) expect(node.transport.endpoint).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/);
    const [s1, s2, s3] = [nodeOf(nodes, 1), nodeOf(nodes, 2), nodeOf(nodes, 3)];
    const sentToS2 = Array.from({ length: 100 }, (_, term) => frameOf(heartbeat(1, 2, term + 1)));
    for (const frame of sentToS2) s1.transport.send(frame);
    s3.transport.send(frameOf(heartbeat(3, 1)));
    await waitFor(() => s2.received.length === 100 && s1.received.length === 1, DEADLINE_MS, () => `S2 ${s2.received.length}`);
    expect(s2.received).toEqual(sentToS2);
    expect(s1.fates.every(({ fate }) => fate === 'sent')).toBe(true);
    expect(s1.transport.stats().peers[2]).toMatchObject({ sent: 100, dropped: 0, queued: 0 });
    expect(s2.transport.stats().peers[1]).toMatchObject({ received: 100 });
  });

  it('a symmetric partition {1,2} | {3} blocks both directions across it, and only those', async () => {
    nodes = await startCluster([1, 2, 3]);
    const tables = faultTablesForBlockedLinks(partitionToBlockedLinks([[1, 2], [3]], [1, 2, 3]), [1, 2, 3]);
    for (const node of nodes) node.transport.setFaults(tables[node.id] ?? { outbound: {}, blockedFrom: [] });
    const crosses = (from: NodeId, to: NodeId): boolean => (from === 3) !== (to === 3);
    await sendAllPairs(nodes, (from, to) => !crosses(from, to));
    expect(nodeOf(nodes, 3).received).toEqual([]);
    expect(receivedFrom(nodeOf(nodes, 1), 3)).toEqual([]);
    expect(nodeOf(nodes, 3).fates.map(({ fate }) => fate)).toEqual(['blocked', 'blocked']);
    expect(nodeOf(nodes, 1).transport.stats().peers[3]?.blocked).toBe(1);
  });

  it('an asymmetric partition: S2 hears S1, S1 does not hear S2', async () => {
    nodes = await startCluster([1, 2]);
    const tables = faultTablesForBlockedLinks(oneWay(1, 2), [1, 2]);
    for (const node of nodes) node.transport.setFaults(tables[node.id] ?? { outbound: {}, blockedFrom: [] });
    await sendAllPairs(nodes, (from) => from === 1);
    expect(nodeOf(nodes, 2).received).toHaveLength(1);
    expect(nodeOf(nodes, 1).received).toEqual([]);
    expect(nodeOf(nodes, 2).fates.map(({ fate }) => fate)).toEqual(['blocked']);
  });

  it('drops frames from a peer blocked inbound even when that peer does send them', async () => {
    nodes = await startCluster([1, 2]);
    const [s1, s2] = [nodeOf(nodes, 1), nodeOf(nodes, 2)];
    s2.transport.setFaults({ outbound: {}, blockedFrom: [1] }); // S1's own table is stale: it still sends
    s1.transport.send(frameOf(heartbeat(1, 2)));
    await waitFor(() => s2.blockedInbound.length === 1, DEADLINE_MS, () => 'inbound block not reported');
    expect(s2.received).toEqual([]);
    expect(s2.transport.stats().peers[1]).toMatchObject({ received: 0, blockedInbound: 1 });
    s2.transport.setFaults({ outbound: {}, blockedFrom: [] }); // healed
    s1.transport.send(frameOf(heartbeat(1, 2)));
    await waitFor(() => s2.received.length === 1, DEADLINE_MS, () => 'healed link did not deliver');
  });

  it('loses about dropProbability of the frames, and delivers exactly the ones reported sent', async () => {
    const seed = testSeed('transport drop rate');
    nodes = await startCluster([1, 2], { random: seededRandom(seed) });
    const [s1, s2] = [nodeOf(nodes, 1), nodeOf(nodes, 2)];
    s1.transport.setFaults({ outbound: { 2: { ...NO_LINK_FAULTS, dropProbability: 0.3 } }, blockedFrom: [] });
    const frames = 2000;
    for (let term = 0; term < frames; term += 1) {
      s1.transport.send(frameOf(heartbeat(1, 2, term + 1)));
      // Let the pump drain between bursts, as a node's event loop does: the queue bound is not under test here.
      if (term % 100 === 99) await new Promise((resolve) => setImmediate(resolve));
    }
    expect(s1.transport.stats().peers[2]?.droppedQueueFull).toBe(0);
    const passed = s1.fates.filter(({ fate }) => fate === 'sent').map(({ frame }) => frame.id);
    const dropped = s1.fates.filter(({ fate }) => fate === 'dropped').length;
    expect(passed.length + dropped).toBe(frames);
    // 6 standard deviations of binomial(2000, 0.3) is ~123 frames.
    expect(Math.abs(dropped - frames * 0.3), `seed=${seed}`).toBeLessThan(125);
    await waitFor(() => s2.received.length === passed.length, DEADLINE_MS, () => `got ${s2.received.length}/${passed.length}`);
    expect(s2.received.map((frame) => frame.id)).toEqual(passed);
    expect(s1.transport.stats().peers[2]).toMatchObject({ sent: passed.length, dropped });
  });

  it('delays each frame by at least delayMs x timeScale, and jitter stays within its bound', async () => {
    const seed = testSeed('transport delay');
    nodes = await startCluster([1, 2], { random: seededRandom(seed), timeScale: 2 });
    const [s1, s2] = [nodeOf(nodes, 1), nodeOf(nodes, 2)];
    s1.transport.setFaults({ outbound: { 2: { ...NO_LINK_FAULTS, delayMs: 40, jitterMs: 20 } }, blockedFrom: [] });
    for (let term = 0; term < 20; term += 1) s1.transport.send(frameOf(heartbeat(1, 2, term + 1)));
    expect(s1.transport.stats().peers[2]?.queued).toBe(20); // waiting in their delay
    await waitFor(() => s2.received.length === 20, DEADLINE_MS, () => `got ${s2.received.length}/20`);
    const latenciesMs = s2.received.map((frame, index) => ((s2.receivedAtNs[index] ?? 0) - frame.sentAtNs) / 1e6);
    for (const latencyMs of latenciesMs) expect(latencyMs, `seed=${seed}`).toBeGreaterThanOrEqual(80);
    // Upper bound is loose: (40 + 20) x 2 plus scheduling slack on a busy 2-core machine.
    for (const latencyMs of latenciesMs) expect(latencyMs, `seed=${seed}`).toBeLessThan(120 + 1_000);
    s1.transport.setTimeScale(0.5);
    s1.transport.setFaults({ outbound: { 2: { ...NO_LINK_FAULTS, delayMs: 40 } }, blockedFrom: [] });
    const sentAtNs = monotonicNowNs();
    s1.transport.send(frameOf(heartbeat(1, 2)));
    await waitFor(() => s2.received.length === 21, DEADLINE_MS, () => 'slowed frame never came');
    expect(((s2.receivedAtNs[20] ?? 0) - sentAtNs) / 1e6).toBeGreaterThanOrEqual(20);
  });

  it('duplicates frames: both copies arrive with the same id', async () => {
    nodes = await startCluster([1, 2]);
    const [s1, s2] = [nodeOf(nodes, 1), nodeOf(nodes, 2)];
    s1.transport.setFaults({ outbound: { 2: { ...NO_LINK_FAULTS, duplicateProbability: 1 } }, blockedFrom: [] });
    const frames = Array.from({ length: 10 }, (_, term) => frameOf(heartbeat(1, 2, term + 1)));
    for (const frame of frames) s1.transport.send(frame);
    await waitFor(() => s2.received.length === 20, DEADLINE_MS, () => `got ${s2.received.length}/20`);
    for (const frame of frames) expect(s2.received.filter((got) => got.id === frame.id)).toHaveLength(2);
    expect(s1.fates.every(({ fate }) => fate === 'duplicated')).toBe(true);
    expect(s1.transport.stats().peers[2]).toMatchObject({ sent: 20, duplicated: 10 });
  });

  it('refuses a malformed fault table instead of silently applying no faults', async () => {
    nodes = await startCluster([1]);
    const badTable = { outbound: { 2: { ...NO_LINK_FAULTS, dropProbability: 2 } }, blockedFrom: [] };
    expect(() => nodeOf(nodes, 1).transport.setFaults(badTable)).toThrow(/invalid fault table: outbound\.2\.dropProbability/);
    expect(() => nodeOf(nodes, 1).transport.setTimeScale(0)).toThrow(RangeError);
  });

  it('reports a send to a node missing from the peer table as dropped', async () => {
    nodes = await startCluster([1, 2]);
    const s1 = nodeOf(nodes, 1);
    s1.transport.send(frameOf(heartbeat(1, 5)));
    expect(s1.fates.map(({ fate }) => fate)).toEqual(['dropped']);
    expect(s1.transport.stats()).toMatchObject({ unroutable: 1 });
  });
});
