import { describe, expect, it } from 'vitest';
import { encodeKvCommand, type KvCommand } from '../../../src/kv/command';
import { KvStateMachine } from '../../../src/kv/state-machine';

function applyAll(machine: KvStateMachine, commands: readonly (KvCommand | null)[]) {
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
});
