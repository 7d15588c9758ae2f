// One trial of Figure 16 on a running cluster: write (so the leader's AppendEntries reach every follower together:
// the paper's "synchronized broadcast of heartbeat RPCs before terminating"), wait a random part of the heartbeat
// interval (the paper crashed the leader "uniformly randomly within its heartbeat interval"), SIGKILL the leader,
// then time (a) until a server reports itself leader of a later term and (b) until a write is acknowledged. The
// killed server is restarted and the cluster caught up before the next trial, so every trial starts from N servers.
import type { Fig16Row } from '../../protocol/experiments';
import { monotonicNowNs } from '../../shared/monotonic-clock';
import type { KvClient } from '../client/kv-client';
import { waitForEqualCommit, waitForLeader } from '../cluster-waits';
import type { LabController } from '../controller';
import { abortable, sleep } from './cancellation';
import { LeaderWatch } from './leader-watch';

/** How long a cluster may take to have a leader again before a trial (a fixed timeout may split votes for long). */
const SETTLE_DEADLINE_MS = 60_000;
const WRITE_ATTEMPTS = 3;
const MAX_SETUPS = 20;

export interface TrialContext {
  readonly controller: LabController;
  readonly client: KvClient;
  readonly heartbeatMs: number;
  readonly capMs: number;
  /** Uniform in [0, 1), seeded. */
  readonly random: () => number;
  readonly signal: AbortSignal;
}

export interface TrialResult {
  readonly row: Fig16Row;
  /** Times the leader changed by itself between the write and the kill, so the trial was set up again. */
  readonly redone: number;
}

export async function runFig16Trial(context: TrialContext, range: string, trial: number): Promise<TrialResult> {
  const { controller, client, signal } = context;
  const { leader, oldTerm, redone } = await prepareKill(context, range, trial);
  const watch = new LeaderWatch(controller, oldTerm);
  try {
    const killedNs = monotonicNowNs();
    await abortable(controller.crashNode(leader), signal);
    const write = client.request({ op: 'put', key: 'fig16', value: `after-${trial}`, timeoutMs: context.capMs })
      .then((result) => (result.status === 'ok' ? (monotonicNowNs() - killedNs) / 1e6 : null));
    const [elected, writeMs] = await abortable(Promise.all([watch.wait(context.capMs), write]), signal);
    const electionMs = elected === null ? null : Math.max(0, (elected.atNs - killedNs) / 1e6);
    await abortable(recover(controller, leader), signal);
    return { row: { range, trial, electionMs, writeMs, terms: elected === null ? null : elected.term - oldTerm }, redone };
  } finally {
    watch.stop();
  }
}

/**
 * Write, then wait the random part of the heartbeat interval; then the server about to be killed must still lead the
 * highest term. With short timeouts on a busy machine a follower can time out by itself in that moment (the paper's
 * warning about timeouts too short for the broadcast time): killing a server that no longer leads would time an
 * election that started before the kill, or wait for one that never comes. Such a trial is set up again.
 */
async function prepareKill(context: TrialContext, range: string, trial: number): Promise<{ leader: number; oldTerm: number; redone: number }> {
  for (let redone = 0; redone < MAX_SETUPS; redone += 1) {
    const leader = await abortable(writeBeforeKill(context, range, trial), context.signal);
    await sleep(context.random() * context.heartbeatMs, context.signal);
    const nodes = (await context.controller.getSnapshot()).nodes.filter((node) => node.status === 'running');
    const current = nodes.find((node) => node.id === leader);
    if (current?.role === 'leader' && nodes.every((node) => node.term <= current.term)) return { leader, oldTerm: current.term, redone };
  }
  throw new Error(`${range} trial ${trial}: the leader kept changing by itself before the kill (${MAX_SETUPS} times)`);
}

/**
 * The write that lines the followers' timers up; returns the leader that took it. Tried a few times (a leader can
 * step down between the wait and the write on a loaded machine); a cluster that takes no write at all ends the range.
 */
async function writeBeforeKill(context: TrialContext, range: string, trial: number): Promise<number> {
  let error = '';
  for (let attempt = 1; attempt <= WRITE_ATTEMPTS; attempt += 1) {
    const leader = await waitForLeader(context.controller, SETTLE_DEADLINE_MS);
    const result = await context.client.request({ op: 'put', key: 'fig16', value: `before-${trial}-${attempt}`, timeoutMs: 10_000 });
    if (result.status === 'ok' && result.servedBy === leader) return leader;
    error = result.status === 'ok' ? `S${String(result.servedBy)} answered, not S${leader}` : result.error ?? result.status;
  }
  throw new Error(`${range} trial ${trial}: the cluster did not accept a write before the kill (${error})`);
}

async function recover(controller: LabController, killed: number): Promise<void> {
  await controller.restartNode(killed);
  await waitForLeader(controller, SETTLE_DEADLINE_MS);
  const snapshot = await controller.getSnapshot();
  await waitForEqualCommit(controller, Math.max(...snapshot.nodes.map((node) => node.commitIndex)), 20_000);
}
