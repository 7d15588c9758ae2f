// Helpers that let MIT 6.5840's Raft tests (raft/test_test.go) be written against the simulated harness with the
// same logic: cfg.wait(), concurrent goroutines (as cooperative tasks on simulated time), and a seeded rand.

import { expect } from 'vitest';
import { SimHarness, type HarnessOptions } from '../../../src/sim/harness';
import { Prng } from '../../../src/sim/engine/prng';

/** 6.5840's RaftElectionTimeout: the tester generously allows a second per election. */
export const RAFT_ELECTION_TIMEOUT_MS = 1000;

export const TERM_CHANGED = Symbol('term changed');

/**
 * Seeds each lab test runs with: 1..3 by default; LAB_SEEDS=N runs 1..N (a soak run), LAB_SEED=S runs only S
 * (to replay a failure).
 */
export function labSeeds(): number[] {
  const only = process.env['LAB_SEED'];
  if (only !== undefined && only !== '') return [Number(only)];
  const count = Number(process.env['LAB_SEEDS'] ?? '3');
  if (!Number.isInteger(count) || count < 1 || count > 10_000) throw new Error(`LAB_SEEDS must be in 1..10000, got ${count}`);
  return Array.from({ length: count }, (_, i) => i + 1);
}

/** Runs a lab test body; any failure names the seed that replays it. */
export function withSeed(seed: number, body: (random: Prng) => void): void {
  try {
    body(new Prng(seed).fork('test'));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${message}\n(replay: LAB_SEED=${seed} npx vitest run <this test file>)`, { cause: error });
  }
}

/** The harness; LAB_EXTENSIONS=preVote,checkQuorum runs the lab tests with the dissertation's extensions on. */
export function makeHarness(options: HarnessOptions): SimHarness {
  const extensions = (process.env['LAB_EXTENSIONS'] ?? '').split(',').filter((name) => name !== '');
  for (const name of extensions) {
    if (name !== 'preVote' && name !== 'checkQuorum') throw new Error(`LAB_EXTENSIONS knows preVote and checkQuorum, not ${name}`);
  }
  if (extensions.length === 0) return new SimHarness(options);
  return new SimHarness({ ...options, extensions: { preVote: extensions.includes('preVote'), checkQuorum: extensions.includes('checkQuorum') } });
}

/**
 * cfg.one() that remembers what was agreed. 6.5840's tests fail only by throwing (one() that finds no agreement);
 * with this, a test ends by asserting the state it reached: every command agreed on is still committed, at the index
 * it was agreed at, on every server, whatever crashes and partitions came after.
 */
export class Agreements {
  private readonly agreed = new Map<number, string>();

  constructor(private readonly h: SimHarness) {}

  one(command: string, expectedServers: number, retry: boolean): number {
    return this.record(this.h.one(command, expectedServers, retry), command);
  }

  /** Records an agreement reached elsewhere (e.g. by oneTask); returns `index`. */
  record(index: number, command: string): number {
    this.agreed.set(index, command);
    return index;
  }

  get count(): number {
    return this.agreed.size;
  }

  /** Every agreed command is committed at its index on all `servers` (default: every server). */
  expectCommittedEverywhere(servers = this.h.nodeCount): void {
    const agreed = [...this.agreed].sort((a, b) => a[0] - b[0]);
    expect(agreed.map(([index]) => ({ index, ...this.h.nCommitted(index) })), 'agreed commands, committed on every server')
      .toEqual(agreed.map(([index, command]) => ({ index, count: servers, command })));
  }
}

/** A Go-style rand.Int() as a command string. */
export function randomCommand(random: Prng): string {
  return String(random.nextU32());
}

/**
 * cfg.wait(index, n, startTerm): waits for n servers to apply `index`, backing off 10 ms .. 1 s; returns the
 * command, or TERM_CHANGED if some server moved past startTerm (when startTerm > -1).
 */
export function waitCommitted(h: SimHarness, index: number, n: number, startTerm: number): string | null | typeof TERM_CHANGED {
  let toMs = 10;
  for (let iters = 0; iters < 30; iters++) {
    if (h.nCommitted(index).count >= n) break;
    h.run(toMs);
    if (toMs < 1000) toMs *= 2;
    if (startTerm > -1) {
      for (let i = 0; i < h.nodeCount; i++) if (h.state(i).term > startTerm) return TERM_CHANGED;
    }
  }
  const { count, command } = h.nCommitted(index);
  if (count < n) throw new Error(`only ${count} decided for index ${index}; wanted ${n}`);
  return command;
}

/** A cooperative "goroutine": yields how long (simulated ms) it sleeps, returns its result. */
export type Task<T> = Generator<number, T, void>;

interface Running {
  readonly task: Task<unknown>;
  wakeAtMs: number;
  done: boolean;
  result: unknown;
}

/**
 * Runs tasks concurrently on simulated time: each runs until it sleeps; time advances to the earliest wake-up.
 * Deterministic: ties wake in spawn order.
 */
export class TaskRunner {
  private readonly running: Running[] = [];

  constructor(private readonly h: SimHarness) {}

  spawn<T>(task: Task<T>): { readonly done: () => boolean; readonly result: () => T } {
    const entry: Running = { task, wakeAtMs: this.h.simulation.nowMs, done: false, result: undefined };
    this.running.push(entry);
    return {
      done: () => entry.done,
      result: () => {
        if (!entry.done) throw new Error('task not finished');
        return entry.result as T;
      },
    };
  }

  /** Runs everything until `until()` holds (checked after each wake-up), bounded by maxMs of simulated time. */
  runUntil(until: () => boolean, maxMs = 600_000): void {
    const deadlineMs = this.h.simulation.nowMs + maxMs;
    if (!this.advance(until, deadlineMs)) throw new Error(`tasks still running after ${maxMs} ms of simulated time`);
  }

  /** Lets the tasks run for `ms` of simulated time (the main goroutine sleeping). */
  runFor(ms: number): void {
    const targetMs = this.h.simulation.nowMs + ms;
    this.advance(() => false, targetMs);
    if (this.h.simulation.nowMs < targetMs) this.h.run(targetMs - this.h.simulation.nowMs);
  }

  /** Runs everything until every task has finished. */
  runAll(maxMs?: number): void {
    this.runUntil(() => this.running.every((entry) => entry.done), maxMs);
  }

  /** True when `until` held; false when the next wake-up would pass deadlineMs (or nothing is left to run). */
  private advance(until: () => boolean, deadlineMs: number): boolean {
    while (!until()) {
      const live = this.running.filter((entry) => !entry.done);
      if (live.length === 0) return false;
      const nextMs = Math.min(...live.map((entry) => entry.wakeAtMs));
      if (nextMs > deadlineMs) return false;
      const nowMs = this.h.simulation.nowMs;
      if (nextMs > nowMs) this.h.run(nextMs - nowMs);
      for (const entry of live) {
        if (entry.done || entry.wakeAtMs > this.h.simulation.nowMs) continue;
        const step = entry.task.next();
        if (step.done === true) {
          entry.done = true;
          entry.result = step.value;
        } else {
          entry.wakeAtMs = this.h.simulation.nowMs + step.value;
        }
        if (until()) return true;
      }
    }
    return true;
  }
}

/** cfg.one() as a task (for tests that call it from several goroutines at once). */
export function* oneTask(h: SimHarness, command: string, expectedServers: number, retry: boolean): Task<number> {
  const startMs = h.simulation.nowMs;
  let starts = 0;
  while (h.simulation.nowMs - startMs < 10_000) {
    let index = -1;
    for (let tried = 0; tried < h.nodeCount; tried++) {
      starts = (starts + 1) % h.nodeCount;
      const state = h.state(starts);
      if (!state.alive || !h.simulation.network.isConnected(starts + 1)) continue;
      const proposal = h.propose(starts, command);
      if (proposal.isLeader) {
        index = proposal.index;
        break;
      }
    }
    if (index !== -1) {
      const submittedMs = h.simulation.nowMs;
      while (h.simulation.nowMs - submittedMs < 2_000) {
        const { count, command: committed } = h.nCommitted(index);
        if (count > 0 && count >= expectedServers && committed === command) return index;
        yield 20;
      }
      if (!retry) throw new Error(`one(${command}) failed to reach agreement`);
    } else {
      yield 50;
    }
  }
  throw new Error(`one(${command}) failed to reach agreement`);
}
