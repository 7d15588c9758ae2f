// A quiet node's durable log as (first index, term) runs: writes since the last event are merged, a rewrite of a
// suffix replaces what it overwrote, and a long change is split into events that each continue the last.
import { describe, expect, it } from 'vitest';
import { DurableTerms } from '../../../src/node/runtime/durable-terms';
import { labEventSchema } from '../../../src/protocol/events';
import type { Entry } from '../../../src/raft/types';

function entries(first: number, terms: readonly number[]): Entry[] {
  return terms.map((term, i) => ({ index: first + i, term, command: `c${first + i}` }));
}

describe('DurableTerms', () => {
  it('merges appends into runs and says nothing when nothing changed', () => {
    const report = new DurableTerms(2);
    expect(report.take(1)).toEqual([]);
    report.written(entries(1, [1, 1]));
    report.written(entries(3, [1, 2, 2]));
    const events = report.take(5);
    expect(events).toEqual([{ type: 'log-terms', atNs: 5, node: 2, from: 1, last: 5, runs: [[1, 1], [4, 2]] }]);
    for (const event of events) expect(labEventSchema.safeParse({ ...event, seq: 0 }).success).toBe(true);
    expect(report.take(6)).toEqual([]);
  });

  it('a write that replaces a suffix drops the runs it overwrote, also before the last report', () => {
    const report = new DurableTerms(1);
    report.written(entries(1, [1, 1, 1, 1]));
    report.written(entries(3, [3]));
    expect(report.take(1)).toEqual([{ type: 'log-terms', atNs: 1, node: 1, from: 1, last: 3, runs: [[1, 1], [3, 3]] }]);
    report.written(entries(4, [3, 3]));
    report.written(entries(2, [4]));
    expect(report.take(2)).toEqual([{ type: 'log-terms', atNs: 2, node: 1, from: 2, last: 2, runs: [[2, 4]] }]);
  });

  it('splits a change of more than 1,024 runs into events that continue each other', () => {
    const report = new DurableTerms(1);
    report.written(entries(1, Array.from({ length: 1500 }, (_, i) => i + 1)));
    const [first, second, third] = report.take(9);
    expect(third).toBeUndefined();
    expect(first).toMatchObject({ from: 1, last: 1024 });
    expect(first?.runs).toHaveLength(1024);
    expect(second).toMatchObject({ from: 1025, last: 1500 });
    expect(second?.runs[0]).toEqual([1025, 1025]);
  });
});
