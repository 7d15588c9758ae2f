import { describe, expect, it } from 'vitest';
import { ClientSessions } from '../../../src/kv/sessions';

const result = (clientId: string, seq: number) => ({ clientId, seq, status: 'ok' as const, duplicate: false });

describe('ClientSessions', () => {
  it('classifies requests of a registered session as new, duplicate (latest seq) or stale (older seq)', () => {
    const sessions = new ClientSessions(10);
    expect(sessions.register(7, 'a')).toEqual({ clientId: 'a', seq: 0, status: 'ok', session: 7, duplicate: false });
    expect(sessions.lookup('a', 7, 1)).toEqual({ kind: 'new' });
    sessions.record(7, result('a', 3));
    expect(sessions.lookup('a', 7, 4)).toEqual({ kind: 'new' });
    expect(sessions.lookup('a', 7, 3)).toEqual({ kind: 'duplicate', result: result('a', 3) });
    expect(sessions.lookup('a', 7, 2)).toEqual({ kind: 'stale', lastSeq: 3 });
  });

  it('"servers must agree on when a client session expires" (§6.3): a session not open is expired, never new', () => {
    const sessions = new ClientSessions(10);
    expect(sessions.lookup('a', 7, 1)).toEqual({ kind: 'expired' });
    expect(() => sessions.record(7, result('a', 1))).toThrow(/session #7:a is not open/);
    sessions.register(7, 'a');
    expect(sessions.lookup('b', 7, 1)).toEqual({ kind: 'expired' }); // session 7 is a's
  });

  it('asserts that seq only grows', () => {
    const sessions = new ClientSessions(10);
    sessions.register(1, 'a');
    sessions.record(1, result('a', 3));
    expect(() => sessions.record(1, result('a', 3))).toThrow(/seq 3 recorded after seq 3/);
  });

  it('never holds more than its bound: the least recently used session expires (in log order, like every replica)', () => {
    const sessions = new ClientSessions(3);
    for (let i = 1; i <= 100; i++) {
      sessions.register(i, `c${i}`);
      expect(sessions.size).toBeLessThanOrEqual(3);
    }
    expect(sessions.lookup('c100', 100, 1).kind).toBe('new');
    expect(sessions.lookup('c97', 97, 1).kind).toBe('expired');
    sessions.touch('c98', 98); // c99 is now the least recently used
    sessions.register(101, 'd');
    expect(sessions.lookup('c98', 98, 1).kind).toBe('new');
    expect(sessions.lookup('c99', 99, 1).kind).toBe('expired');
  });

  it('sessions of the older form (no session id) open on first use and share the bound and the order', () => {
    const sessions = new ClientSessions(2);
    expect(sessions.lookup('a', undefined, 1)).toEqual({ kind: 'new' });
    sessions.record(undefined, result('a', 1));
    sessions.register(5, 'b');
    sessions.register(6, 'c'); // expires a, the least recently used
    expect(sessions.lookup('a', undefined, 1)).toEqual({ kind: 'new' });
    expect(sessions.list().map((session) => session.session ?? session.clientId)).toEqual([5, 6]);
  });

  it('rejects a non-positive bound', () => {
    expect(() => new ClientSessions(0)).toThrow(RangeError);
  });
});
