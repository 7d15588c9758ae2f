// One trial of Figure 16 on a running cluster: write (so the leader's AppendEntries reach every follower together:
// the paper's "synchronized broadcast of heartbeat RPCs before terminating"), wait a random part of the heartbeat
// interval (the paper crashed the leader "uniformly randomly within its heartbeat interval"), SIGKILL the leader,
// then time (a) until a server reports itself leader of a later term and (b) until a write is acknowledged. The
// killed server is restarted and the cluster caught up before the next trial, so every trial starts from N servers.
import type { Fig16Row } from '../../protocol/experiments';
import { monotonicNowNs } from '../../node/clock';
import type { KvClient } from '../client/kv-client';
import { waitForEqualCommit, waitForLeader } from '../cluster-waits';
import type { LabController } from '../controller';
import { abortable, sleep } from './cancellation';
import { LeaderWatch } from './leader-watch';

/** How long a cluster may take to have a leader again before a trial (a fixed timeout may split votes for long). */
const SETTLE_DEADLINE_MS = 60_000;

export interface TrialContext {
  readonly controller: LabController;
  readonly client: KvClient;
  readonly heartbeatMs: number;
  readonly capMs: number;
  /** Uniform in [0, 1), seeded. */
  readonly random: () => number;
  readonly signal: AbortSignal;
}

export async function runFig16Trial(context: TrialContext, range: string, trial: number): Promise<Fig16Row> {
  const { controller, client, signal } = context;
  const leader = await abortable(waitForLeader(controller, SETTLE_DEADLINE_MS), signal);
  const before = await abortable(client.request({ op: 'put', key: 'fig16', value: `before-${trial}`, timeoutMs: 10_000 }), signal);
  if (before.status !== 'ok') throw new Error(`${range} trial ${trial}: the cluster did not accept a write before the kill (${before.error ?? ''})`);
  await sleep(context.random() * context.heartbeatMs, signal);
  const oldTerm = (await controller.getSnapshot()).nodes.find((node) => node.id === leader)?.term ?? 0;
  const watch = new LeaderWatch(controller, oldTerm);
  try {
    const killedNs = monotonicNowNs();
    await abortable(controller.crashNode(leader), signal);
    const write = client.request({ op: 'put', key: 'fig16', value: `after-${trial}`, timeoutMs: context.capMs })
      .then((result) => (result.status === 'ok' ? (monotonicNowNs() - killedNs) / 1e6 : null));
    const [elected, writeMs] = await abortable(Promise.all([watch.wait(context.capMs), write]), signal);
    const electionMs = elected === null ? null : Math.max(0, (elected.atNs - killedNs) / 1e6);
    await abortable(recover(controller, leader), signal);
    return { range, trial, electionMs, writeMs, terms: elected === null ? null : elected.term - oldTerm };
  } finally {
    watch.stop();
  }
}

async function recover(controller: LabController, killed: number): Promise<void> {
  await controller.restartNode(killed);
  await waitForLeader(controller, SETTLE_DEADLINE_MS);
  const snapshot = await controller.getSnapshot();
  await waitForEqualCommit(controller, Math.max(...snapshot.nodes.map((node) => node.commitIndex)), 20_000);
}
