// A dead or stalled peer must cost a node a bounded amount of memory and must not delay traffic to other peers.
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Router } from 'zeromq';
import { closeAll, frameOf, heartbeat, nodeOf, startCluster, startNode, waitFor, type RecordingNode } from './transport-harness';

const DEADLINE_MS = 10_000;
const MAX_QUEUED = 64;
let nodes: RecordingNode[] = [];
let rawSockets: Router[] = [];
afterEach(async () => {
  for (const node of nodes) expect(node.callbackErrors).toEqual([]);
  await closeAll(nodes);
  for (const socket of rawSockets) socket.close();
  nodes = [];
  rawSockets = [];
});

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * An endpoint that refuses connections, like a killed node's. Not "bind a port and close it": another test file
 * running in parallel may be handed that port next. Port 1 is privileged, so no test can take it; we check that
 * nothing on this machine listens there.
 */
async function deadEndpoint(): Promise<string> {
  const refused = await new Promise<boolean>((resolve) => {
    const probe = connect({ host: '127.0.0.1', port: 1 });
    probe.once('connect', () => {
      probe.destroy();
      resolve(false);
    });
    probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
  if (!refused) throw new Error('test assumption broken: something accepts connections on 127.0.0.1:1');
  return 'tcp://127.0.0.1:1';
}

describe('back-pressure', () => {
  it('a dead peer does not stall sends to others, its queue stays bounded, and once it is back only fresh frames reach it', async () => {
    nodes = await startCluster([1, 3], { maxQueuedFramesPerPeer: MAX_QUEUED });
    const [s1, s3] = [nodeOf(nodes, 1), nodeOf(nodes, 3)];
    s1.transport.setPeers({ 2: await deadEndpoint(), 3: s3.transport.endpoint });
    const framesPerPeer = 2000;
    const framesPerBatch = 50;
    for (let term = 0; term < framesPerPeer; term += 1) {
      s1.transport.send(frameOf(heartbeat(1, 2, term + 1)));
      s1.transport.send(frameOf(heartbeat(1, 3, term + 1)));
      // Closed loop: each batch for S3 must arrive before the next, so S3's own queue never overflows and any
      // loss or wait there could only come from the dead S2.
      if (term % framesPerBatch === framesPerBatch - 1) {
        await waitFor(() => s3.received.length === term + 1, DEADLINE_MS, () => `S3 got ${s3.received.length}/${term + 1}`);
      }
    }
    expect(s1.transport.stats().peers[3]).toMatchObject({ sent: framesPerPeer, dropped: 0 });
    const toDeadPeer = s1.transport.stats().peers[2];
    expect(toDeadPeer).toMatchObject({ sent: 0, queued: MAX_QUEUED });
    // Everything beyond the queue and the one frame parked in the socket's blocked send was refused at once.
    expect(toDeadPeer?.droppedQueueFull).toBe(framesPerPeer - MAX_QUEUED - 1);
    expect(s1.fates.filter(({ fate }) => fate === 'dropped')).toHaveLength(framesPerPeer - MAX_QUEUED - 1);

    // S2 restarts on a new port; the lab hands S1 the new table. The frames queued for the dead process die with it
    // (as its connections would on a real network): none reaches the new process, and they count as dropped.
    const s2 = await startNode(2);
    nodes.push(s2);
    s1.transport.setPeers({ 2: s2.transport.endpoint, 3: s3.transport.endpoint });
    expect(s1.transport.stats().peers[2]).toMatchObject({ queued: 0 });
    expect(s1.transport.stats().peers[2]?.dropped).toBeGreaterThanOrEqual(MAX_QUEUED);
    s1.transport.send(frameOf(heartbeat(1, 2, 99_999)));
    await waitFor(() => s2.received.length === 1, DEADLINE_MS, () => 'fresh frame not delivered');
    expect(s2.received.map((frame) => frame.msg.term)).toEqual([99_999]);
    expect(s1.transport.stats().peers[2]).toMatchObject({ queued: 0, sent: 1 });
  });

  it('a peer that is connected but not reading (stopped) fills a bounded queue, then its frames are dropped', async () => {
    nodes = await startCluster([1, 3], { maxQueuedFramesPerPeer: MAX_QUEUED, sendHighWaterMark: 16 });
    const [s1, s3] = [nodeOf(nodes, 1), nodeOf(nodes, 3)];
    const stalled = new Router({ receiveHighWaterMark: 1, linger: 0, receiveBufferSize: 64 * 1024 });
    rawSockets.push(stalled);
    await stalled.bind('tcp://127.0.0.1:*');
    s1.transport.setPeers({ 2: stalled.lastEndpoint ?? '', 3: s3.transport.endpoint });
    const bigEntry = { index: 1, term: 1, command: 'x'.repeat(60_000) };
    const bigAppend = { ...heartbeat(1, 2), entries: [bigEntry] };
    // Keep sending until the stalled link pushes back: ZeroMQ's buffers fill, then ours, then frames are refused.
    const giveUpAtMs = Date.now() + DEADLINE_MS;
    while ((s1.transport.stats().peers[2]?.droppedQueueFull ?? 0) === 0) {
      if (Date.now() > giveUpAtMs) throw new Error(`no back-pressure: ${JSON.stringify(s1.transport.stats().peers[2])}`);
      for (let burst = 0; burst < 20; burst += 1) s1.transport.send(frameOf(bigAppend));
      await yieldToEventLoop();
    }
    expect(s1.transport.stats().peers[2]?.queued).toBeLessThanOrEqual(MAX_QUEUED);
    s1.transport.send(frameOf(heartbeat(1, 3)));
    await waitFor(() => s3.received.length === 1, DEADLINE_MS, () => 'S3 starved by the stalled peer');
  });

  it('close() returns promptly even with sends parked on a dead peer', async () => {
    const s1 = await startNode(1, { maxQueuedFramesPerPeer: MAX_QUEUED });
    s1.transport.setPeers({ 2: await deadEndpoint() });
    for (let term = 0; term < 100; term += 1) s1.transport.send(frameOf(heartbeat(1, 2, term + 1)));
    await yieldToEventLoop();
    const startedAtMs = Date.now();
    await s1.transport.close();
    expect(Date.now() - startedAtMs).toBeLessThan(1_000);
    s1.transport.send(frameOf(heartbeat(1, 2))); // after close: a no-op, not a crash
  });
});
