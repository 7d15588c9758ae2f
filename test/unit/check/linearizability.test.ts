import { describe, expect, it } from 'vitest';
import type { HistoryOp } from '../../../src/check/history';
import { checkLinearizability } from '../../../src/check/linearizability';
import { cas, del, failedCas, failedPut, get, put } from './support/ops';

function verdict(history: readonly HistoryOp[]): 'linearizable' | 'violation' {
  const result = checkLinearizability(history);
  expect(result.timedOut).toBe(false);
  return result.ok ? 'linearizable' : 'violation';
}

describe('linearizability: reads and writes', () => {
  it('an empty history, and a history of one key never written and read as absent, are linearizable', () => {
    expect(verdict([])).toBe('linearizable');
    expect(verdict([get(0, null, 0, 10)])).toBe('linearizable');
  });

  it('a read that returns a value nobody wrote (by the time it returned) is a violation on its own', () => {
    expect(verdict([get(0, '1', 0, 10)])).toBe('violation');
    const result = checkLinearizability([put(0, '2', 0, 5), get(1, '1', 10, 20), put(2, '1', 21, 30)]);
    expect(result.perKey[0]).toMatchObject({ verdict: 'violation', steps: 0 }); // found without searching
    expect(result.violation?.ops).toEqual([get(1, '1', 10, 20)]);
    expect(result.violation?.explanation).toContain('whatever the other 2 operations on the key did');
    // A writer called at the instant the read returned is concurrent with it.
    expect(verdict([get(1, '1', 10, 20), put(2, '1', 20, 30)])).toBe('linearizable');
  });

  it('a read after a completed write sees it', () => {
    expect(verdict([put(0, '1', 0, 10), get(1, '1', 20, 30)])).toBe('linearizable');
    expect(verdict([put(0, '1', 0, 10), get(1, null, 20, 30)])).toBe('violation');
  });

  it('stale read: once a newer write completed, a later read must not return the older value', () => {
    const stale = [put(0, '1', 0, 10), put(1, '2', 20, 30), get(2, '1', 40, 50)];
    expect(verdict(stale)).toBe('violation');
    // The same read overlapping the second write may take effect before it.
    expect(verdict([put(0, '1', 0, 10), put(1, '2', 20, 45), get(2, '1', 40, 50)])).toBe('linearizable');
  });

  it('a read concurrent with a write may see the old or the new value, but not new then old', () => {
    const write = put(0, '2', 20, 100);
    const before = put(0, '1', 0, 10);
    expect(verdict([before, write, get(1, '1', 30, 40), get(1, '2', 50, 60)])).toBe('linearizable');
    expect(verdict([before, write, get(1, '2', 30, 40), get(1, '1', 50, 60)])).toBe('violation');
  });

  it('intervals that touch (ret == call) count as concurrent', () => {
    expect(verdict([put(0, '1', 0, 10), get(1, null, 10, 20)])).toBe('linearizable');
    expect(verdict([put(0, '1', 0, 10), get(1, null, 11, 20)])).toBe('violation');
  });

  it('two concurrent writes: readers must agree on their order', () => {
    const writes = [put(0, 'a', 0, 100), put(1, 'b', 0, 100)];
    // After both writes completed the value is fixed: reads cannot then see a and b.
    expect(verdict([...writes, get(2, 'a', 110, 120), get(2, 'b', 130, 140)])).toBe('violation');
    expect(verdict([...writes, get(2, 'b', 110, 120), get(3, 'b', 130, 140)])).toBe('linearizable');
    // During the writes, one reader seeing a then b and another seeing b then a cannot both be right.
    const readerA = [get(2, 'a', 10, 20), get(2, 'b', 30, 40)];
    const readerB = [get(3, 'b', 10, 20), get(3, 'a', 30, 40)];
    expect(verdict([...writes, ...readerA])).toBe('linearizable');
    expect(verdict([...writes, ...readerB])).toBe('linearizable');
    expect(verdict([...writes, ...readerA, ...readerB])).toBe('violation');
  });
});

describe('linearizability: outcomes', () => {
  it('an unknown write may take effect any time after its call', () => {
    const history = [put(0, '1', 0, 10), put(1, '2', 20, null)];
    expect(verdict([...history, get(2, '2', 1_000, 1_010)])).toBe('linearizable');
    expect(verdict([...history, get(2, '1', 30, 40), get(2, '2', 1_000, 1_010)])).toBe('linearizable');
  });

  it('an unknown write may never take effect', () => {
    expect(verdict([put(0, '1', 0, 10), put(1, '2', 20, null), get(2, '1', 1_000, 1_010)])).toBe('linearizable');
  });

  it('an unknown write cannot take effect before its call, nor be undone once seen', () => {
    expect(verdict([put(1, '2', 20, null), get(2, '2', 5, 15)])).toBe('violation');
    const seenThenGone = [put(0, '1', 0, 10), put(1, '2', 20, null), get(2, '2', 30, 40), get(2, '1', 50, 60)];
    expect(verdict(seenThenGone)).toBe('violation');
  });

  it('a failed put or delete definitely did not happen', () => {
    expect(verdict([failedPut(0, '1', 0, 10), get(1, '1', 20, 30)])).toBe('violation');
    expect(verdict([failedPut(0, '1', 0, 10), get(1, null, 20, 30)])).toBe('linearizable');
    const failedDelete: HistoryOp = { client: 1, op: 'delete', key: 'x', call: 20, ret: 30, status: 'fail' };
    expect(verdict([put(0, '1', 0, 10), failedDelete, get(2, '1', 40, 50)])).toBe('linearizable');
    expect(verdict([put(0, '1', 0, 10), failedDelete, get(2, null, 40, 50)])).toBe('violation');
  });

  it('failed and unknown gets observed nothing and are ignored', () => {
    const failedGet: HistoryOp = { client: 1, op: 'get', key: 'x', call: 20, ret: 30, status: 'fail' };
    const unknownGet: HistoryOp = { client: 2, op: 'get', key: 'x', call: 20, ret: null, status: 'unknown' };
    const result = checkLinearizability([put(0, '1', 0, 10), failedGet, unknownGet]);
    expect(result.ok).toBe(true);
    expect(result.perKey).toEqual([{ key: 'x', verdict: 'ok', opCount: 1, steps: 1 }]);
  });
});

describe('linearizability: cas and delete', () => {
  it('an ok cas requires the value to equal from, and sets to', () => {
    expect(verdict([put(0, '1', 0, 10), cas(1, '1', '2', 20, 30), get(2, '2', 40, 50)])).toBe('linearizable');
    expect(verdict([put(0, '1', 0, 10), cas(1, '3', '2', 20, 30)])).toBe('violation');
  });

  it('an ok cas never matches an absent key', () => {
    expect(verdict([cas(0, '', '1', 0, 10)])).toBe('violation');
  });

  it('a failed cas observed a value other than from', () => {
    expect(verdict([put(0, '1', 0, 10), failedCas(1, '1', '2', 20, 30)])).toBe('violation');
    expect(verdict([put(0, '1', 0, 10), failedCas(1, '3', '2', 20, 30)])).toBe('linearizable');
    expect(verdict([failedCas(1, '3', '2', 20, 30)])).toBe('linearizable'); // absent never matches
    // Concurrent with a write that changed the value, the failure is explained by ordering the write first.
    expect(verdict([put(0, '1', 0, 10), put(2, '3', 15, 40), failedCas(1, '1', '2', 20, 30)])).toBe('linearizable');
    // A failed cas did not write: the old value stays.
    expect(verdict([put(0, '3', 0, 10), failedCas(1, '1', '2', 20, 30), get(2, '2', 40, 50)])).toBe('violation');
  });

  it('an unknown cas may apply (only if from matched) or not', () => {
    const base = [put(0, '1', 0, 10), cas(1, '1', '2', 20, null)];
    expect(verdict([...base, get(2, '2', 40, 50)])).toBe('linearizable');
    expect(verdict([...base, get(2, '1', 40, 50)])).toBe('linearizable');
    expect(verdict([put(0, '1', 0, 10), cas(1, '5', '2', 20, null), get(2, '2', 40, 50)])).toBe('violation');
  });

  it('read-modify-write chains with an indeterminate cas (as chaos records them): it took effect once, or never', () => {
    // A later cas from its `to` proves it took effect; one from its `from` proves it never did (or came too late to match).
    expect(verdict([put(0, 'a', 0, 10), cas(1, 'a', 'b', 20, null), cas(2, 'b', 'c', 30, 40)])).toBe('linearizable');
    expect(verdict([put(0, 'a', 0, 10), cas(1, 'a', 'b', 20, null), cas(2, 'a', 'c', 30, 40), get(3, 'c', 50, 60)])).toBe('linearizable');
    // Both at once cannot be: after a->c it no longer matches, and before it a->c would have failed.
    expect(verdict([put(0, 'a', 0, 10), cas(1, 'a', 'b', 20, null), cas(2, 'a', 'c', 30, 40), cas(3, 'b', 'd', 50, 60)])).toBe('violation');
  });

  it('a client that gave up moves on, while its unknown operation may still take effect after its next one', () => {
    // Client 1 gave up on a->b, then read a itself; the cas was still in flight and took effect later (client 2 sees b).
    expect(verdict([put(0, 'a', 0, 10), cas(1, 'a', 'b', 20, null), get(1, 'a', 30, 40), get(2, 'b', 50, 60)])).toBe('linearizable');
    expect(verdict([put(0, 'a', 0, 10), put(1, 'b', 20, null), get(1, 'a', 30, 40), get(2, 'b', 50, 60), get(2, 'a', 70, 80)])).toBe('violation');
  });

  it('delete makes the key absent', () => {
    expect(verdict([put(0, '1', 0, 10), del(1, 20, 30), get(2, null, 40, 50)])).toBe('linearizable');
    expect(verdict([put(0, '1', 0, 10), del(1, 20, 30), get(2, '1', 40, 50)])).toBe('violation');
    expect(verdict([put(0, '1', 0, 10), del(1, 20, null), get(2, null, 40, 50)])).toBe('linearizable');
  });
});

describe('linearizability: partitioning, shrinking, explanation', () => {
  it('checks each key on its own and reports the key that fails', () => {
    const history = [
      put(0, '1', 0, 10, 'x'),
      put(1, '1', 0, 10, 'y'),
      get(2, '1', 20, 30, 'x'),
      put(1, '2', 20, 30, 'y'),
      get(0, '1', 40, 50, 'y'), // stale on y
      get(3, null, 0, 5, 'z'),
    ];
    const result = checkLinearizability(history);
    expect(result.ok).toBe(false);
    expect(result.perKey.map((key) => [key.key, key.verdict, key.opCount])).toEqual([
      ['x', 'ok', 2],
      ['y', 'violation', 3],
      ['z', 'ok', 1],
    ]);
    expect(result.violation?.key).toBe('y');
    expect(result.violation?.ops.every((op) => op.key === 'y')).toBe(true);
  });

  it('a read of x cannot be justified by a write of the same value to y', () => {
    expect(verdict([put(0, '1', 0, 10, 'y'), get(1, '1', 20, 30, 'x')])).toBe('violation');
  });

  it('shrinks a violation to the operations that cause it', () => {
    const noise: HistoryOp[] = [];
    for (let i = 0; i < 40; i++) {
      noise.push(put(i % 4, `n${i}`, 1_000 + i * 100, 1_050 + i * 100));
      noise.push(get((i + 1) % 4, `n${i}`, 1_060 + i * 100, 1_090 + i * 100));
    }
    const culprit = [put(5, 'a', 10_000, 10_010), put(6, 'b', 10_020, 10_030), get(7, 'a', 10_040, 10_050)];
    const result = checkLinearizability([...noise.slice(0, 50), ...culprit, ...noise.slice(50)]);
    expect(result.ok).toBe(false);
    expect(result.violation?.minimal).toBe(true);
    expect(result.violation?.ops).toEqual(culprit);
  });

  it('the smallest set is itself a violation, sorted by call time', () => {
    const history = [get(2, 'a', 40, 50), put(1, 'b', 20, 30), put(0, 'a', 0, 10), put(3, 'c', 60, 70)];
    const violation = checkLinearizability(history).violation;
    expect(violation?.ops.map((op) => op.call)).toEqual([0, 20, 40]);
    expect(checkLinearizability(violation?.ops ?? []).ok).toBe(false);
  });

  it('explains the violation with the longest valid order and the operation that cannot follow it', () => {
    const violation = checkLinearizability([put(0, '1', 0, 10), put(1, '2', 20, 30), get(2, '1', 40, 50)]).violation;
    expect(violation?.explanation).toContain('these 3 operations on key "x"');
    expect(violation?.explanation).toContain(
      'Longest valid order found: client 0 put "1" (call 0, ret 10), then client 1 put "2" (call 20, ret 30); ' +
        'the key is then "2".',
    );
    expect(violation?.explanation).toContain(
      'Stuck at client 2 get -> "1" (call 40, ret 50): it returned "1", but the key would be "2".',
    );
  });

  it('explains a failed cas that should have succeeded', () => {
    const violation = checkLinearizability([put(0, '1', 0, 10), failedCas(1, '1', '2', 20, 30)]).violation;
    expect(violation?.explanation).toContain('it failed, so the key cannot have been "1"');
  });
});

describe('linearizability: budget', () => {
  /** A long linearizable history: the search needs at least one step per operation. */
  function longHistory(count: number): HistoryOp[] {
    const ops: HistoryOp[] = [];
    for (let i = 0; i < count; i++) ops.push(put(0, `${i}`, i * 10, i * 10 + 5));
    return ops;
  }

  it('reports timedOut, never ok, when the step budget runs out', () => {
    const result = checkLinearizability(longHistory(100), { maxStepsPerSearch: 10 });
    expect(result).toMatchObject({ ok: false, timedOut: true });
    expect(result.perKey[0]?.verdict).toBe('timeout');
    expect(result.violation).toBeUndefined();
  });

  it('reports timedOut when the injected clock passes the deadline', () => {
    let nowMs = 0;
    const clock = (): number => (nowMs += 1_000);
    const result = checkLinearizability(longHistory(10_000), { timeoutMs: 500, now: clock });
    expect(result).toMatchObject({ ok: false, timedOut: true });
  });

  it('reports timedOut when the memo would outgrow its memory budget', () => {
    const concurrent: HistoryOp[] = [];
    for (let i = 0; i < 10; i++) concurrent.push(put(i, `${i}`, 0, 100));
    // Stale: "0" was overwritten by "z" before the read began; proving it means trying every order of the 10.
    concurrent.push(put(98, 'z', 150, 160), get(99, '0', 200, 210));
    expect(checkLinearizability(concurrent, { maxMemoWords: 100 })).toMatchObject({ ok: false, timedOut: true });
    // Without the bound, exhausting the orders decides it.
    expect(checkLinearizability(concurrent)).toMatchObject({ ok: false, timedOut: false });
  });

  it('keeps deciding small keys when a big one times out', () => {
    const history = [...longHistory(5_000).map((op) => ({ ...op, key: 'big' })), get(1, 'z', 0, 10, 'small')];
    const result = checkLinearizability(history, { maxStepsPerSearch: 1_000 });
    expect(result.perKey.map((key) => [key.key, key.verdict])).toEqual([
      ['big', 'timeout'],
      ['small', 'violation'],
    ]);
    expect(result).toMatchObject({ ok: false, timedOut: true, violation: { key: 'small' } });
  });
});
