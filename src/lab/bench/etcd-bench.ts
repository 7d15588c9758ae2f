// The same closed-loop put load against a real etcd cluster (Debian's etcd-server 3.4) with the same node count,
// durability (etcd fsyncs its WAL by default) and client concurrency, through etcd's JSON gateway on loopback.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runClosedLoop, type LoadResult } from './closed-loop';

export function findEtcd(): string | null {
  const found = spawnSync('sh', ['-c', 'command -v etcd'], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() || null : null;
}

export async function benchEtcd(binary: string, options: { nodes: number; clients: number; seconds: number; keys: number },
  signal?: AbortSignal): Promise<LoadResult> {
  const dataRoot = mkdtempSync(join(tmpdir(), 'raft-lab-etcd-'));
  const members: { name: string; clientPort: number; peerPort: number }[] = [];
  for (let i = 1; i <= options.nodes; i += 1) members.push({ name: `e${i}`, clientPort: await freePort(), peerPort: await freePort() });
  const initialCluster = members.map((m) => `${m.name}=http://127.0.0.1:${m.peerPort}`).join(',');
  const processes: ChildProcess[] = members.map((m) => spawn(binary, [
    '--name', m.name, '--data-dir', join(dataRoot, m.name),
    '--listen-client-urls', `http://127.0.0.1:${m.clientPort}`, '--advertise-client-urls', `http://127.0.0.1:${m.clientPort}`,
    '--listen-peer-urls', `http://127.0.0.1:${m.peerPort}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${m.peerPort}`,
    '--initial-cluster', initialCluster, '--initial-cluster-state', 'new', '--initial-cluster-token', 'raft-lab-bench',
    '--heartbeat-interval', '50', '--election-timeout', '300', '--log-level', 'error',
  ], { stdio: ['ignore', 'ignore', 'pipe'] }));
  // A cancelled run (or a lab on its way out) kills etcd at once; the measuring loop then ends on failed requests.
  const killAll = (): void => { for (const child of processes) child.kill('SIGKILL'); };
  signal?.addEventListener('abort', killAll, { once: true });
  const agent = new Agent({ keepAlive: true, maxSockets: options.clients * 2 });
  try {
    const leaderPort = await waitForEtcdLeader(members.map((m) => m.clientPort), agent);
    const value = Buffer.from('v'.repeat(64)).toString('base64');
    const put = async (worker: number, n: number, prefix: string): Promise<boolean> => {
      const key = Buffer.from(`${prefix}-${worker}-${n % options.keys}`).toString('base64');
      const reply = await postJson(agent, leaderPort, '/v3/kv/put', { key, value });
      return reply !== null;
    };
    await runClosedLoop(options.clients, 1, (worker, n) => put(worker, n, 'warm'));
    return await runClosedLoop(options.clients, options.seconds, (worker, n) => put(worker, n, 'k'));
  } finally {
    agent.destroy();
    signal?.removeEventListener('abort', killAll);
    killAll();
    await Promise.all(processes.map((child) => new Promise((resolve) => child.exitCode !== null ? resolve(null) : child.once('exit', resolve))));
    rmSync(dataRoot, { recursive: true, force: true });
  }
}

async function waitForEtcdLeader(ports: number[], agent: Agent): Promise<number> {
  const until = performance.now() + 30_000;
  while (performance.now() < until) {
    for (const port of ports) {
      const status = await postJson(agent, port, '/v3/maintenance/status', {}) as { header?: { member_id?: string }; leader?: string } | null;
      if (status?.leader && status.header?.member_id === status.leader) return port;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('etcd did not elect a leader within 30 s');
}

function postJson(agent: Agent, port: number, path: string, body: unknown): Promise<unknown> {
  return new Promise((resolve) => {
    const payload = JSON.stringify(body);
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', agent, timeout: 5000,
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { text += chunk; });
      res.on('end', () => {
        if (res.statusCode !== 200) return resolve(null);
        try {
          resolve(JSON.parse(text) as unknown);
        } catch {
          resolve(null);
        }
      });
    });
    req.on('error', () => resolve(null));
    req.on('timeout', () => req.destroy());
    req.end(payload);
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
