// The pieces of an experiment run that need no cluster: timeout settings for the paper's ranges, summaries with
// censored trials, the ETA, cancellation, the new-leader watch, and a runner whose lab cannot start.
import { describe, expect, it } from 'vitest';
import { ExperimentCancelled, abortable, sleep } from '../../../../src/lab/experiments/cancellation';
import { distribution } from '../../../../src/lab/experiments/distribution';
import { clusterTimeoutFor, heartbeatFor } from '../../../../src/lab/experiments/fig16';
import { LeaderWatch } from '../../../../src/lab/experiments/leader-watch';
import { etaMs } from '../../../../src/lab/experiments/progress';
import { ExperimentRunner } from '../../../../src/lab/experiments/experiment-runner';
import { DEFAULT_FIG16_SPEC } from '../../../../src/protocol/experiments';
import type { LabEvent } from '../../../../src/protocol/events';
import { progressLine } from '../../../../src/cli/progress-bar';

describe('Figure 16 settings', () => {
  it('draws every whole millisecond of a paper range, and a fixed value for a-a', () => {
    expect(clusterTimeoutFor([150, 151])).toEqual([150, 152]);
    expect(clusterTimeoutFor([150, 300])).toEqual([150, 301]);
    expect(clusterTimeoutFor([150, 150])).toEqual([150, 150]);
  });

  it('sends heartbeats at half the minimum timeout, as the paper did, never below 5 ms', () => {
    expect(heartbeatFor([150, 300])).toBe(75);
    expect(heartbeatFor([12, 24])).toBe(6);
    expect(heartbeatFor([10, 20])).toBe(5);
  });
});

describe('distribution', () => {
  it('counts censored trials apart and takes quantiles over the rest', () => {
    expect(distribution([30, 10, null, 20])).toEqual({ count: 4, censored: 1, minMs: 10, p50Ms: 20, meanMs: 20, p90Ms: 30, p99Ms: 30, maxMs: 30 });
    expect(distribution([null])).toMatchObject({ count: 1, censored: 1, p50Ms: null, meanMs: null });
  });
});

describe('progress', () => {
  it('estimates the time left from the pace so far, and none before anything is done', () => {
    expect(etaMs(0, 10, 5000)).toBeNull();
    expect(etaMs(5, 20, 10_000)).toBe(30_000);
    expect(progressLine({ done: 5, total: 20, elapsedMs: 10_000, etaMs: 30_000, current: '150-300 ms: trial 6 of 10' }))
      .toBe('[#######.....................]  25%  0:10 elapsed, ETA 0:30  150-300 ms: trial 6 of 10');
  });
});

describe('cancellation', () => {
  it('ends a wait at once when the run is cancelled', async () => {
    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal);
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(ExperimentCancelled);
    await expect(abortable(Promise.resolve(1), new AbortController().signal)).resolves.toBe(1);
  });
});

describe('LeaderWatch', () => {
  it('takes the first leader of a later term, at the time the node stamped', async () => {
    let listener: ((events: readonly LabEvent[]) => void) | null = null;
    const watch = new LeaderWatch({ subscribe: (next) => { listener = next; return () => { listener = null; }; } }, 3);
    const state = (node: number, role: 'leader' | 'candidate', term: number, atNs: number): LabEvent => ({ type: 'node-state', seq: atNs, atNs, node,
      state: { role, term, votedFor: node, leaderId: role === 'leader' ? node : null, commitIndex: 0, lastApplied: 0, lastLogIndex: 0,
        lastLogTerm: 0, electionDeadlineNs: null, progress: null } } as LabEvent);
    const waiting = watch.wait(10_000);
    const deliver = listener as unknown as (events: readonly LabEvent[]) => void;
    deliver([state(1, 'leader', 3, 100), state(2, 'candidate', 4, 200), state(2, 'leader', 5, 300), state(3, 'leader', 6, 400)]);
    await expect(waiting).resolves.toEqual({ node: 2, term: 5, atNs: 300 });
    watch.stop();
    expect(listener).toBeNull();
  });

  it('gives up with null at its deadline or when stopped', async () => {
    const watch = new LeaderWatch({ subscribe: () => () => undefined }, 1);
    await expect(watch.wait(10)).resolves.toBeNull();
    const pending = watch.wait(60_000);
    watch.stop();
    await expect(pending).resolves.toBeNull();
  });
});

describe('ExperimentRunner', () => {
  it('reports a lab that cannot start as a failed run, and runs one experiment at a time', async () => {
    let release = (): void => undefined;
    const runner = new ExperimentRunner(() => new Promise((_, reject) => { release = () => reject(new Error('no lab here')); }));
    expect(runner.start(DEFAULT_FIG16_SPEC).status).toBe('running');
    expect(() => runner.start(DEFAULT_FIG16_SPEC)).toThrow(/already running/);
    release();
    const state = await runner.finished();
    expect(state).toMatchObject({ status: 'failed', error: 'no lab here', rowCount: 0 });
    expect(state.loadAtEnd?.loadAverage).toHaveLength(3);
  });
});
