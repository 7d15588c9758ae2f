// A student's own nodes in a LabController (the same controller the app and `raft-lab maelstrom` use), behind relay
// nodes: their messages become message events with the body's type, the raft_lab_state/raft_lab_event extension
// becomes node-state and node-note events, a partition blocks their messages, a pause stops the student's process
// (SIGSTOP reaches the relay's process group), a crash kills it, and a restart runs it again in the same directory.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LabController } from '../../../src/lab/controller';
import { byoNodeLauncher } from '../../../src/lab/node-launcher';
import { MaelstromConnections } from '../../../src/lab/maelstrom/maelstrom-connections';
import type { LabEvent } from '../../../src/protocol/events';
import { PROJECT_ROOT } from '../cluster/cli-runner';
import { agreedLeader, CLUSTER_DEADLINE_MS, describeNodes, eventually, leaderEstablished } from '../cluster/cluster-harness';

const FIXTURE = join(PROJECT_ROOT, 'test', 'fixtures', 'byo', 'forward_to_n1.py');

let controller: LabController;
let connections: MaelstromConnections;
let dataRoot: string;
let events: LabEvent[];

beforeEach(async () => {
  dataRoot = mkdtempSync(join(tmpdir(), 'raft-lab-relay-test-'));
  controller = await LabController.create({ launcher: byoNodeLauncher('python3', [FIXTURE]), dataRoot, eventDetail: 'full' });
  connections = new MaelstromConnections();
  events = [];
  controller.subscribe((batch) => events.push(...batch));
});

afterEach(async () => {
  connections.close();
  await controller.close();
  rmSync(dataRoot, { recursive: true, force: true });
});

async function waitFor(condition: () => boolean, deadlineMs: number, what: string): Promise<void> {
  const until = performance.now() + deadlineMs;
  while (!condition()) {
    if (performance.now() > until) throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

let msgId = 0;
/** A write through node `node`: the reply's type, or `timeout`. Refused sends (not connected yet) are retried. */
async function write(node: number, key: number, value: number, timeoutMs = 3000): Promise<string> {
  connections.setEndpoint(node, controller.clientEndpointOf(node));
  const until = performance.now() + 5000;
  for (;;) {
    msgId += 1;
    const outcome = await connections.request(node, { src: 'c1', dest: `n${node}`, body: { type: 'write', msg_id: msgId, key, value } }, timeoutMs);
    if (outcome.kind === 'reply') return outcome.message.body.type;
    if (outcome.kind === 'timeout' || performance.now() > until) return outcome.kind;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function relayPid(node: number): Promise<number> {
  const pid = (await controller.getSnapshot()).nodes.find((view) => view.id === node)?.pid;
  if (typeof pid !== 'number') throw new Error(`S${node} has no process`);
  return pid;
}

/** The student's process: the relay's child, with its state letter (T = stopped). */
function studentOf(relay: number): { pid: number; state: string } | null {
  const out = execFileSync('ps', ['-o', 'pid=,stat=', '--ppid', String(relay)], { encoding: 'utf8' }).trim();
  const [pid, state] = out.split(/\s+/);
  return pid ? { pid: Number(pid), state: state ?? '' } : null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('relay nodes in the lab', () => {
  it('report messages by body type and the extension; a partition blocks them; pause, crash and restart reach the student', async () => {
    await controller.startCluster({ nodeCount: 3 });
    await waitFor(() => [1, 2, 3].every((node) => events.some((event) => event.type === 'node-note' && event.node === node)), 5000,
      'every node\'s raft_lab_event');
    const leaderState = events.find((event) => event.type === 'node-state' && event.node === 1);
    expect(leaderState?.type === 'node-state' && leaderState.state.role).toBe('leader');
    expect((await controller.getSnapshot()).nodes.find((view) => view.id === 1)?.role).toBe('leader');

    expect(await write(2, 1, 10)).toBe('write_ok');
    await waitFor(() => events.some((event) => event.type === 'message' && event.message.type === 'forward_ok' && event.direction === 'receive'),
      5000, 'forward_ok to arrive at n2');
    const forward = events.find((event) => event.type === 'message' && event.message.type === 'forward' && event.direction === 'send');
    expect(forward?.type === 'message' && [forward.node, forward.message.from, forward.message.to]).toEqual([2, 2, 1]);

    await controller.setPartition([[2]]);
    expect(await write(2, 1, 11, 1000)).toBe('timeout');
    expect(events.some((event) => event.type === 'message' && event.direction === 'drop' && event.message.type === 'forward' &&
      (event.dropReason ?? '').includes('partition'))).toBe(true);
    await controller.healAll();
    expect(await write(2, 1, 12)).toBe('write_ok');

    const relay1 = await relayPid(1);
    await controller.pauseNode(1);
    await waitFor(() => studentOf(relay1)?.state.startsWith('T') ?? false, 3000, 'n1\'s own process to be stopped');
    await controller.resumeNode(1);
    expect(await write(1, 2, 1)).toBe('write_ok');

    const relay3 = await relayPid(3);
    const student3 = studentOf(relay3);
    expect(student3).not.toBeNull();
    const cwd = readlinkSync(`/proc/${student3?.pid ?? 0}/cwd`);
    await controller.crashNode(3);
    await waitFor(() => !isAlive(student3?.pid ?? 0), 3000, 'n3\'s own process to die with its relay');
    await controller.restartNode(3);
    const restarted = studentOf(await relayPid(3));
    expect(restarted?.pid).not.toBe(student3?.pid);
    expect(readlinkSync(`/proc/${restarted?.pid ?? 0}/cwd`), 'a restart runs in the same directory').toBe(cwd);
    expect(await write(3, 3, 5)).toBe('write_ok');
  });

  it('a node that exits is shown crashed with the last lines of its stderr', async () => {
    await controller.startCluster({ nodeCount: 2 });
    const relay = await relayPid(2);
    const student = studentOf(relay);
    process.kill(student?.pid ?? 0, 'SIGKILL');
    await waitFor(() => events.some((event) => event.type === 'node-status' && event.node === 2 && event.status === 'crashed'), 5000, 'S2 crashed');
    await waitFor(() => events.some((event) => event.type === 'error' && event.node === 2 && event.message.includes('n2: initialised')), 5000,
      'the error event with its stderr');
    const error = events.find((event) => event.type === 'error' && event.node === 2 && event.message.includes('was killed by SIGKILL'));
    expect(error?.type === 'error' && error.message).toMatch(/n2 \(your node\) was killed by SIGKILL; its last lines of stderr:\nn2: initialised/);
  });
});

describe('settings.implementation (the app\'s "Implementation" setting)', () => {
  it('the example Raft: the client box\'s put and get go through lin-kv; a missing executable is refused with the reason', async () => {
    const root = mkdtempSync(join(tmpdir(), 'raft-lab-impl-test-'));
    const lab = await LabController.create({ dataRoot: root });
    try {
      await expect(lab.startCluster({ nodeCount: 1, implementation: { kind: 'executable', bin: '/nonexistent/my-raft', args: [] } }))
        .rejects.toThrow('/nonexistent/my-raft does not exist');
      await lab.startCluster({ nodeCount: 3, implementation: { kind: 'example' } });
      expect((await lab.clientRequest({ op: 'put', key: '5', value: '9', timeoutMs: 10_000 })).status).toBe('ok');
      expect(await lab.clientRequest({ op: 'get', key: '5', timeoutMs: 10_000 })).toMatchObject({ status: 'ok', value: '9' });
      expect(await lab.clientRequest({ op: 'get', key: '6', timeoutMs: 10_000 })).toMatchObject({ status: 'ok', value: null });
      expect(await lab.clientRequest({ op: 'delete', key: '5' })).toMatchObject({ status: 'fail', error: expect.stringContaining('no delete') });
      // Maelstrom's protocol has no configuration changes: refused before any server is spawned.
      await expect(lab.addServer()).rejects.toThrow(/cannot add a server: this cluster runs your own Raft/);
      await expect(lab.transferLeadership(2)).rejects.toThrow(/cannot transfer leadership: this cluster runs your own Raft/);
      expect((await lab.getSnapshot()).nodes.map((node) => node.id)).toEqual([1, 2, 3]);
      // The lab's own Raft again, as exercises and demos ask for it. Its first write waits for an established leader
      // (its no-op committed, every node knowing it): one elected a moment earlier may lose its term to an early
      // re-election, which leaves a first write unknown (cluster-harness.ts, leaderEstablished).
      const seen: LabEvent[] = [];
      const unsubscribe = lab.subscribe((batch) => seen.push(...batch));
      await lab.startCluster({ nodeCount: 3, implementation: { kind: 'raft' } });
      await eventually(async () => {
        lab.events.flush();
        const snapshot = await lab.getSnapshot();
        const leader = agreedLeader(snapshot);
        return leader && leaderEstablished(snapshot, leader, seen) ? leader : null;
      }, CLUSTER_DEADLINE_MS, 'an established leader of the lab\'s own Raft', async () => describeNodes((await lab.getSnapshot()).nodes));
      unsubscribe();
      expect((await lab.clientRequest({ op: 'put', key: 'k', value: 'v', timeoutMs: 10_000 })).status).toBe('ok');
    } finally {
      await lab.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
