import { describe, expect, it } from 'vitest';
import { ClientSessions } from '../../../src/kv/sessions';

const result = (clientId: string, seq: number) => ({ clientId, seq, status: 'ok' as const, duplicate: false });

describe('ClientSessions', () => {
  it('classifies requests as new, duplicate (latest seq) or stale (older seq)', () => {
    const sessions = new ClientSessions(10);
    expect(sessions.lookup('a', 1)).toEqual({ kind: 'new' });
    sessions.record(result('a', 3));
    expect(sessions.lookup('a', 4)).toEqual({ kind: 'new' });
    expect(sessions.lookup('a', 3)).toEqual({ kind: 'duplicate', result: result('a', 3) });
    expect(sessions.lookup('a', 2)).toEqual({ kind: 'stale', lastSeq: 3 });
  });

  it('asserts that seq only grows', () => {
    const sessions = new ClientSessions(10);
    sessions.record(result('a', 3));
    expect(() => sessions.record(result('a', 3))).toThrow(/seq 3 recorded after seq 3/);
  });

  it('never holds more than its bound, evicting the least recently used', () => {
    const sessions = new ClientSessions(3);
    for (let i = 0; i < 100; i++) {
      sessions.record(result(`c${i}`, 1));
      expect(sessions.size).toBeLessThanOrEqual(3);
    }
    expect(sessions.lookup('c99', 1).kind).toBe('duplicate');
    expect(sessions.lookup('c96', 1).kind).toBe('new');
    sessions.touch('c97'); // c98 is now the least recently used
    sessions.record(result('new', 1));
    expect(sessions.lookup('c97', 1).kind).toBe('duplicate');
    expect(sessions.lookup('c98', 1).kind).toBe('new');
  });

  it('rejects a non-positive bound', () => {
    expect(() => new ClientSessions(0)).toThrow(RangeError);
  });
});
