import { describe, expect, it } from 'vitest';
import { encodeKvCommand, type KvCommand, type KvLogCommand } from '../../../src/kv/command';
import { KvStateMachine } from '../../../src/kv/state-machine';

function applyAll(machine: KvStateMachine, commands: readonly (KvLogCommand | null)[]) {
  return commands.map((command) => machine.apply(machine.appliedIndex + 1, command === null ? null : encodeKvCommand(command)));
}

function populated(): KvStateMachine {
  const machine = new KvStateMachine({ maxSessions: 2 });
  applyAll(machine, [
    null,
    { clientId: 'a', seq: 1, op: 'put', key: 'x', value: '1' },
    { clientId: 'b', seq: 1, op: 'put', key: '__proto__', value: 'p' },
    { clientId: 'a', seq: 2, op: 'cas', key: 'x', from: 'nope', to: '2' },
  ]);
  return machine;
}

describe('KV snapshots (§7 log compaction)', () => {
  it('a restored machine answers reads, duplicates and evictions exactly like the original', () => {
    const original = populated();
    const restored = new KvStateMachine({ maxSessions: 2 });
    restored.restoreSnapshot(original.appliedIndex, original.takeSnapshot());
    expect(restored.appliedIndex).toBe(4);
    expect(restored.snapshotData()).toEqual(original.snapshotData());
    expect(restored.storeBytes).toBe(original.storeBytes);
    // A retry of a's last request is answered from the restored session, not applied again.
    const retry: KvCommand = { clientId: 'a', seq: 2, op: 'cas', key: 'x', from: 'nope', to: '2' };
    expect(applyAll(restored, [retry])).toEqual(applyAll(original, [retry]));
    // Same LRU order: a third client evicts the same session on both.
    const next: KvCommand[] = [{ clientId: 'c', seq: 1, op: 'delete', key: 'x' }, { clientId: 'b', seq: 1, op: 'put', key: 'y', value: 'again' }];
    expect(applyAll(restored, next)).toEqual(applyAll(original, next));
    expect(restored.takeSnapshot()).toBe(original.takeSnapshot());
  });

  it('a bad snapshot is rejected with a clear error and changes nothing', () => {
    const machine = populated();
    const before = machine.takeSnapshot();
    const cases: [string, RegExp][] = [
      ['not json', /not JSON/],
      ['{"v":1}', /invalid KV snapshot/],
      [before.replace('"appliedIndex":4', '"appliedIndex":3'), /after entry 3, not 4/],
      [before.replace('"values":[', '"values":[["x","dup"],'), /appears twice/],
      [JSON.stringify({ ...JSON.parse(before) as object, values: [['', 'v']] }), /key/],
    ];
    for (const [data, error] of cases) {
      expect(() => machine.restoreSnapshot(4, data)).toThrow(error);
      expect(machine.takeSnapshot()).toBe(before);
    }
  });

  it('registered sessions survive a snapshot with their ids and order (version 2); a version 1 snapshot still restores', () => {
    const original = new KvStateMachine({ maxSessions: 2 });
    applyAll(original, [{ op: 'register', clientId: 'a' }, { clientId: 'a', session: 1, seq: 1, op: 'put', key: 'x', value: '1' },
      { clientId: 'legacy', seq: 1, op: 'put', key: 'y', value: 'old form' }]);
    const data = original.takeSnapshot();
    expect(JSON.parse(data)).toMatchObject({ v: 2, sessions: [{ clientId: 'a', session: 1, lastSeq: 1 }, { clientId: 'legacy', lastSeq: 1 }] });
    const restored = new KvStateMachine({ maxSessions: 2 });
    restored.restoreSnapshot(3, data);
    const next: KvLogCommand[] = [{ clientId: 'a', session: 1, seq: 1, op: 'put', key: 'x', value: 'dup' }, { op: 'register', clientId: 'b' },
      { op: 'register', clientId: 'c' }, { clientId: 'a', session: 1, seq: 2, op: 'put', key: 'x', value: 'late' }];
    expect(applyAll(restored, next)).toEqual(applyAll(original, next));
    expect(restored.read('x')).toBe('1');
    const v1 = JSON.stringify({ v: 1, appliedIndex: 2, values: [['x', '1']], malformedCommandCount: 0,
      sessions: [{ clientId: 'a', lastSeq: 2, lastResult: { clientId: 'a', seq: 2, status: 'ok', duplicate: false } }] });
    const old = new KvStateMachine();
    old.restoreSnapshot(2, v1);
    expect(applyAll(old, [{ clientId: 'a', seq: 2, op: 'put', key: 'x', value: 'retry' }])[0]).toMatchObject({ duplicate: true });
    expect(old.snapshotProblem(2, JSON.stringify({ ...JSON.parse(v1) as object, sessions: [{ clientId: 'a', session: 1, lastSeq: 0,
      lastResult: { clientId: 'a', seq: 0, status: 'ok', duplicate: false } }] }))).toMatch(/version 1 snapshot has no registered sessions/);
  });

  it('snapshotProblem says what restoreSnapshot would refuse, without changing anything (the core asks before installing)', () => {
    const machine = populated();
    const data = machine.takeSnapshot();
    expect(machine.snapshotProblem(4, data)).toBeNull();
    expect(machine.snapshotProblem(5, data)).toMatch(/after entry 4, not 5/);
    expect(machine.snapshotProblem(4, 'garbage')).toMatch(/not JSON/);
    expect(new KvStateMachine({ maxSessions: 1 }).snapshotProblem(4, data)).toMatch(/2 sessions, more than the bound 1/);
    expect(machine.takeSnapshot()).toBe(data);
  });
});
