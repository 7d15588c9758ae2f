// Figure 16 on real processes: for each election-timeout range, a fresh cluster (time scale 1, the given network
// delay, heartbeats at half the minimum timeout as in the paper) and T trials of killing its leader.
import type { Fig16Row, Fig16RangeSummary, Fig16Spec, TimeoutRange } from '../../protocol/experiments';
import { rangeLabel } from '../../protocol/experiments';
import type { ClusterSettings } from '../../protocol/lab-api';
import { KvClient } from '../client/kv-client';
import type { LabController } from '../controller';
import { seededRandom } from '../../raft/random';
import { abortable, ExperimentCancelled, throwIfCancelled } from './cancellation';
import { distribution } from './distribution';
import { runFig16Trial } from './fig16-trial';
import type { ProgressClock } from './progress';

export interface Fig16Callbacks {
  row(row: Fig16Row): void;
  rangeDone(summary: Fig16RangeSummary): void;
  /** A range that could not be run to the end (the others still run). */
  note(text: string): void;
}

/** The paper's heartbeat interval: half the minimum election timeout (never below the lab's 5 ms floor). */
export function heartbeatFor([min]: TimeoutRange): number {
  return Math.max(5, Math.floor(min / 2));
}

/**
 * The cluster's timeout setting for a paper range "a–b". The core draws whole milliseconds in [min, max), so "a–b"
 * becomes [a, b + 1): every whole millisecond from a to b. Drawing in [150, 151) would give 150 every time, and
 * 150–151 would lose the 1 ms of randomness that the paper measured. "a–a" stays [a, a]: exactly a, no randomness.
 */
export function clusterTimeoutFor([min, max]: TimeoutRange): [number, number] {
  return min === max ? [min, min] : [min, max + 1];
}

/**
 * Each range runs on a lab of its own (opened here, closed when the range ends): a long campaign's ranges share no
 * client connections or lab state, so whatever goes wrong in one range cannot carry over into the next.
 */
export async function runFig16(openLab: () => Promise<LabController>, spec: Fig16Spec, progress: ProgressClock, signal: AbortSignal,
  callbacks: Fig16Callbacks): Promise<Fig16RangeSummary[]> {
  const summaries: Fig16RangeSummary[] = [];
  const random = seededRandom(spec.seed);
  for (const [index, range] of spec.ranges.entries()) {
    throwIfCancelled(signal);
    const label = rangeLabel(range);
    const heartbeatMs = heartbeatFor(range);
    const settings: Partial<ClusterSettings> = { nodeCount: spec.nodes, electionTimeoutMs: clusterTimeoutFor(range), heartbeatMs,
      networkDelayMs: spec.networkDelayMs, timeScale: 1, timerSeed: spec.seed + index, preVote: false, checkQuorum: false, bugs: [],
      startPaused: false };
    progress.describe(`${label} ms: starting ${spec.nodes} nodes`);
    const rows: Fig16Row[] = [];
    const controller = await abortable(openLab(), signal);
    try {
      await abortable(controller.startCluster(settings), signal);
      const client = new KvClient(controller.clientContext());
      let redone = 0;
      for (let trial = 1; trial <= spec.trials; trial += 1) {
        progress.describe(`${label} ms: trial ${trial} of ${spec.trials}`);
        const result = await runFig16Trial({ controller, client, heartbeatMs, capMs: spec.capMs, random, signal }, label, trial);
        const row = result.row;
        redone += result.redone;
        if (trial === spec.trials && redone > 0) {
          callbacks.note(`${label} ms: ${redone} time${redone === 1 ? '' : 's'} the leader changed by itself between the write and the kill; those trials were set up again`);
        }
        rows.push(row);
        callbacks.row(row);
        progress.advance(1);
      }
    } catch (error) {
      if (error instanceof ExperimentCancelled) {
        if (rows.length > 0) callbacks.rangeDone(summarize(range, heartbeatMs, rows)); // what a cancelled range measured
        throw error;
      }
      callbacks.note(`${label} ms stopped after ${rows.length} of ${spec.trials} trials: ${(error as Error).message}`);
      progress.advance(spec.trials - rows.length);
    } finally {
      await controller.close().catch(() => controller.killAllNow());
    }
    const summary = summarize(range, heartbeatMs, rows);
    summaries.push(summary);
    callbacks.rangeDone(summary);
  }
  return summaries;
}

function summarize(range: TimeoutRange, heartbeatMs: number, rows: readonly Fig16Row[]): Fig16RangeSummary {
  return { range: rangeLabel(range), electionTimeoutMs: range, heartbeatMs, election: distribution(rows.map((row) => row.electionMs)),
    write: distribution(rows.map((row) => row.writeMs)) };
}
