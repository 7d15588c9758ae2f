// The chaos/workload clients' operations: cas from the value a client last read or wrote, blind writes beside them,
// and what a client learns from each answer (an unknown write leaves the key unknown to it).
import { describe, expect, it } from 'vitest';
import type { HistoryRequest } from '../../../src/check/history';
import { casStats, describeCasStats } from '../../../src/lab/chaos/cas-stats';
import { seededRandom } from '../../../src/raft/random';
import { CAS_MISMATCH_ERROR_PREFIX, WorkloadOps } from '../../../src/lab/client/workload-ops';
import type { ClientResult } from '../../../src/protocol/lab-api';

const CHAOS_MIX = { get: 0.4, put: 0.3, cas: 0.2, delete: 0.1 } as const;

function result(status: ClientResult['status'], value: string | null = null, error: string | null = null): ClientResult {
  return { status, value, servedBy: 1, latencyMs: 1, index: null, error };
}

/** Draws from `values` in turn (0..1), so that a test says which operation comes next. */
function scripted(values: readonly number[]): () => number {
  let next = 0;
  return () => values[next++ % values.length] ?? 0;
}

// With the chaos mix: < 0.4 get, < 0.7 put, < 0.9 cas, else delete; keys k0..k4 by 0.0, 0.2, ...
const DRAW_PUT = 0.5;
const DRAW_CAS = 0.8;
const KEY_K1 = 0.3;

describe('workload operations', () => {
  it('a client cases from the value it last wrote, on the key it touched last', () => {
    const ops = new WorkloadOps({ clients: 2, keys: 5, mix: CHAOS_MIX }, scripted([DRAW_PUT, KEY_K1, DRAW_CAS]));
    const write = ops.next(0, '0.1');
    expect(write).toEqual({ op: 'put', key: 'k1', value: '0.1' });
    ops.learn(0, write, result('ok', '0.1'));
    expect(ops.next(0, '0.2')).toEqual({ op: 'cas', key: 'k1', from: '0.1', to: '0.2' });
  });

  it('from the value it last read, and from the current value a failed cas reported', () => {
    const ops = new WorkloadOps({ clients: 1, keys: 5, mix: CHAOS_MIX }, scripted([DRAW_CAS]));
    const read: HistoryRequest = { op: 'get', key: 'k3' };
    ops.learn(0, read, result('ok', '1.7'));
    const first = ops.next(0, '0.1');
    expect(first).toEqual({ op: 'cas', key: 'k3', from: '1.7', to: '0.1' });
    ops.learn(0, first, result('fail', '2.9', `${CAS_MISMATCH_ERROR_PREFIX} the value is "2.9", not "1.7"`));
    expect(ops.next(0, '0.2')).toEqual({ op: 'cas', key: 'k3', from: '2.9', to: '0.2' });
  });

  it('a client that knows no value reads first; after an unknown write the key is unknown to it again', () => {
    const ops = new WorkloadOps({ clients: 1, keys: 5, mix: CHAOS_MIX }, scripted([DRAW_CAS]));
    expect(ops.next(0, '0.1')).toEqual({ op: 'get', key: 'k4' }); // the fallback key draws 0.8 too: k4
    const cas: HistoryRequest = { op: 'cas', key: 'k2', from: 'a', to: 'b' };
    ops.learn(0, { op: 'put', key: 'k2', value: 'a' }, result('ok', 'a'));
    ops.learn(0, cas, result('unknown', null, 'timed out after 1000 ms'));
    expect(ops.next(0, '0.2')).toEqual({ op: 'get', key: 'k2' });
    // A delete leaves the key absent, and there is no cas from absent: read before writing again.
    ops.learn(0, { op: 'delete', key: 'k2' }, result('ok'));
    expect(ops.next(0, '0.3')).toEqual({ op: 'get', key: 'k2' });
  });

  it('against a register store shared by 4 clients, over a third of the cas succeed, and blind writes remain', () => {
    for (const seed of [1, 2, 3]) {
      const random = seededRandom(seed);
      const ops = new WorkloadOps({ clients: 4, keys: 5, mix: CHAOS_MIX }, random);
      const store = new Map<string, string>();
      const history: { op: HistoryRequest['op']; status: 'ok' | 'fail' }[] = [];
      for (let counter = 1; counter <= 4000; counter += 1) {
        const client = Math.floor(random() * 4); // clients interleave at random, one operation at a time
        const request = ops.next(client, `${client}.${counter}`);
        const answer = apply(store, request);
        history.push({ op: request.op, status: answer.status === 'ok' ? 'ok' : 'fail' });
        ops.learn(client, request, answer);
      }
      const cas = history.filter((op) => op.op === 'cas');
      const okShare = cas.filter((op) => op.status === 'ok').length / cas.length;
      expect(okShare, `seed ${seed}: ${cas.length} cas`).toBeGreaterThan(1 / 3);
      expect(cas.length, `seed ${seed}`).toBeGreaterThan(400);
      expect(history.filter((op) => op.op === 'put').length, `seed ${seed}: blind puts`).toBeGreaterThan(900);
    }
  });
});

describe('cas statistics of a history', () => {
  it('counts the cas by outcome and the share that took effect', () => {
    const stats = casStats([
      { client: 0, op: 'cas', key: 'x', from: 'a', to: 'b', call: 0, ret: 1, status: 'ok' },
      { client: 1, op: 'cas', key: 'x', from: 'a', to: 'c', call: 0, ret: 2, status: 'fail' },
      { client: 2, op: 'cas', key: 'x', from: 'b', to: 'd', call: 3, ret: null, status: 'unknown' },
      { client: 3, op: 'cas', key: 'y', from: 'e', to: 'f', call: 4, ret: 5, status: 'ok' },
      { client: 0, op: 'put', key: 'x', value: 'a', call: 6, ret: 7, status: 'ok' },
    ]);
    expect(stats).toEqual({ attempts: 4, ok: 2, fail: 1, unknown: 1, okShare: 0.5 });
    expect(describeCasStats(stats)).toBe('cas: 4 attempts, 2 ok (50%), 1 failed, 1 unknown');
    expect(casStats([])).toEqual({ attempts: 0, ok: 0, fail: 0, unknown: 0, okShare: null });
  });
});

/** The KV store's semantics for one operation, answered as the lab's client would. */
function apply(store: Map<string, string>, request: HistoryRequest): ClientResult {
  switch (request.op) {
    case 'get': return result('ok', store.get(request.key) ?? null);
    case 'put': store.set(request.key, request.value); return result('ok', request.value);
    case 'delete': store.delete(request.key); return result('ok');
    case 'cas': {
      const current = store.get(request.key) ?? null;
      if (current !== request.from) return result('fail', current, `${CAS_MISMATCH_ERROR_PREFIX} the value is ${current ?? 'absent'}`);
      store.set(request.key, request.to);
      return result('ok', request.to);
    }
  }
}
