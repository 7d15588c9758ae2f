// Lost acknowledged writes from outside: the key's final value is older than an acknowledged write, or absent.
import { describe, expect, it } from 'vitest';
import type { HistoryOp } from '../../../../src/check/history';
import { lostAcknowledgedWrites } from '../../../../src/lab/maelstrom/final-state-lost-writes';

const put = (client: number, value: string, call: number, ret: number | null, status: 'ok' | 'unknown' = 'ok'): HistoryOp =>
  (status === 'ok' ? { client, op: 'put', key: '0', value, call, ret: ret ?? call, status } : { client, op: 'put', key: '0', value, call, ret: null, status });

describe('lostAcknowledgedWrites', () => {
  it('none when the final value is the latest acknowledged write', () => {
    expect(lostAcknowledgedWrites([put(1, '1', 0, 10), put(2, '2', 20, 30)], new Map([[0, '2']])).lost).toBe(0);
  });

  it('none when concurrent writes could end either way', () => {
    expect(lostAcknowledgedWrites([put(1, '1', 0, 30), put(2, '2', 10, 20)], new Map([[0, '1']])).lost).toBe(0);
  });

  it('a write acknowledged after the final value was written and returned is lost', () => {
    const result = lostAcknowledgedWrites([put(1, '1', 0, 10), put(2, '2', 20, 30)], new Map([[0, '1']]));
    expect(result.lost).toBe(1);
    expect(result.examples[0]).toContain("client 2's put of 2 to key 0 was acknowledged");
  });

  it('every acknowledged write is lost when the key ends absent; unknown writes do not count; unread keys are skipped', () => {
    const ops = [put(1, '1', 0, 10), put(2, '2', 20, null, 'unknown')];
    expect(lostAcknowledgedWrites(ops, new Map([[0, null]])).lost).toBe(1);
    expect(lostAcknowledgedWrites(ops, new Map([[0, undefined]])).lost).toBe(0);
  });
});
