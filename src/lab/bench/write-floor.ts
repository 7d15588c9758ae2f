// Benchmark (not a test): npm run bench:floor [-- --seconds S]
//
// The floor under `raft-lab bench --clients 1` on this machine: the same four ZeroMQ hops and the same fdatasyncs as
// one replicated write, with no Raft, no WAL framing and no client library. A client (this process) sends a request
// to a "leader" process, which forwards it to two "follower" processes and appends it to its own file; each follower
// appends and syncs, then acknowledges; the leader answers once its own sync and the first acknowledgement are in
// (a majority of three). Files are preallocated (zero-filled and synced first), as the WAL's are, so a sync commits
// no file-size change. The p50 printed is what the lab's 1-client p50 can at best approach here: the gap between the
// two is the cost of everything Raft Lab adds.

import { type ChildProcess, fork } from 'node:child_process';
import { fdatasyncSync, fsyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as zmq from 'zeromq';
import { LatencySamples } from './latency-stats';

/** A KV put of a 64-byte value, as `raft-lab bench` sends. */
const COMMAND = JSON.stringify({ op: 'put', key: 'k-0-0', value: 'x'.repeat(64) });
/** Ample: a 10 s run writes about 1 MB (~100 bytes a write at ~1,000 writes a second). */
const PREALLOCATED_BYTES = 16 * 1024 * 1024;

/** An append-only file written into zero-filled, already synced space. */
class PreallocatedFile {
  private readonly fd: number;
  private offsetBytes = 0;

  constructor(path: string) {
    this.fd = openSync(path, 'w');
    writeSync(this.fd, Buffer.alloc(PREALLOCATED_BYTES));
    fsyncSync(this.fd);
  }

  appendAndSync(line: string): void {
    // Wraps around at the end: a long run keeps overwriting allocated space, which is what is being measured.
    if (this.offsetBytes + line.length * 3 > PREALLOCATED_BYTES) this.offsetBytes = 0;
    this.offsetBytes += writeSync(this.fd, line, this.offsetBytes);
    fdatasyncSync(this.fd);
  }
}

function send(message: object): void {
  process.send?.(message);
}

async function follower(dir: string, name: string): Promise<void> {
  const socket = new zmq.Router();
  await socket.bind('tcp://127.0.0.1:*');
  const file = new PreallocatedFile(join(dir, name));
  send({ endpoint: socket.lastEndpoint });
  for (;;) {
    const [peer, body] = await socket.receive();
    if (peer === undefined || body === undefined) continue;
    const request = JSON.parse(body.toString()) as { index: number; command: string };
    file.appendAndSync(`${JSON.stringify([1, request.command])}\n`);
    await socket.send([peer, JSON.stringify({ index: request.index, success: true })]);
  }
}

async function leader(dir: string, followerEndpoints: readonly string[]): Promise<void> {
  const clients = new zmq.Router();
  await clients.bind('tcp://127.0.0.1:*');
  const file = new PreallocatedFile(join(dir, 'leader'));
  const waitingAcks = new Map<number, () => void>();
  const peers = followerEndpoints.map((endpoint) => {
    const peer = new zmq.Dealer();
    peer.connect(endpoint);
    return peer;
  });
  for (const peer of peers) {
    void (async (): Promise<void> => {
      for (;;) {
        const [body] = await peer.receive();
        const ack = JSON.parse(String(body)) as { index: number };
        waitingAcks.get(ack.index)?.();
        waitingAcks.delete(ack.index);
      }
    })();
  }
  send({ endpoint: clients.lastEndpoint });
  for (let index = 1; ; index++) {
    const [client, body] = await clients.receive();
    if (client === undefined || body === undefined) continue;
    const request = JSON.parse(body.toString()) as { command: string };
    const acked = new Promise<void>((resolve) => waitingAcks.set(index, resolve));
    const forward = JSON.stringify({ index, command: request.command });
    for (const peer of peers) await peer.send(forward);
    // Like Raft Lab's leader (§10.2.1): the followers write while the leader writes.
    file.appendAndSync(`${JSON.stringify([1, request.command])}\n`);
    await acked;
    await clients.send([client, JSON.stringify({ ok: true })]);
  }
}

function startChild(args: readonly string[]): Promise<{ child: ChildProcess; endpoint: string }> {
  const child = fork(fileURLToPath(import.meta.url), [...args], { stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.once('message', (message) => resolve({ child, endpoint: (message as { endpoint: string }).endpoint }));
    child.once('exit', (code) => reject(new Error(`floor ${args[0]} exited with ${String(code)} before it was ready`)));
  });
}

/** The 1-, 5- and 15-minute load averages (zeros where the OS has none, e.g. Windows). */
function loadAverage(): string {
  return loadavg().map((load) => load.toFixed(2)).join(' ');
}

async function client(seconds: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'raft-lab-floor-'));
  const children: ChildProcess[] = [];
  try {
    const followers = await Promise.all(['follower-1', 'follower-2'].map((name) => startChild(['follower', dir, name])));
    children.push(...followers.map((started) => started.child));
    const started = await startChild(['leader', dir, ...followers.map((f) => f.endpoint)]);
    children.push(started.child);
    const socket = new zmq.Dealer();
    socket.connect(started.endpoint);
    const loadBefore = loadAverage();
    const latencies = new LatencySamples();
    const untilMs = performance.now() + seconds * 1000;
    while (performance.now() < untilMs) {
      const startedMs = performance.now();
      await socket.send(JSON.stringify({ command: COMMAND }));
      await socket.receive();
      latencies.add(performance.now() - startedMs);
    }
    socket.close();
    const { count, p50Ms, p90Ms, p99Ms } = latencies.summary();
    console.log(`write floor (4 ZeroMQ hops + fdatasync, no Raft), 1 client, ${seconds} s: ${count} writes, ` +
      `p50 ${p50Ms.toFixed(3)} ms, p90 ${p90Ms.toFixed(3)} ms, p99 ${p99Ms.toFixed(3)} ms; ` +
      `load ${loadBefore} -> ${loadAverage()} on ${availableParallelism()} cores`);
  } finally {
    for (const child of children) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const [role, ...rest] = process.argv.slice(2);
  if (role === 'follower' || role === 'leader') {
    // A child never outlives the benchmark: it exits when the parent's IPC channel closes.
    process.on('disconnect', () => process.exit(0));
    if (role === 'follower') await follower(rest[0] ?? '', rest[1] ?? 'follower');
    else await leader(rest[0] ?? '', rest.slice(1));
    return;
  }
  const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' }, help: { type: 'boolean', default: false } } });
  if (values.help) {
    console.log('usage: npm run bench:floor [-- --seconds S]   (npx tsx src/lab/bench/write-floor.ts [--seconds S])\n\n' +
      'One client writes for S seconds (default 10) through a bare leader and two followers: four ZeroMQ hops and\n' +
      'their fdatasyncs per write, no Raft. Prints p50/p90/p99 and the load average: the floor under\n' +
      '`raft-lab bench --clients 1` on this machine.');
    return;
  }
  const seconds = Number(values.seconds);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`--seconds ${values.seconds} is not a positive number`);
  await client(seconds);
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
