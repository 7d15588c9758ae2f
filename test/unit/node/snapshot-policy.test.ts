// When the node compacts (snapshot-policy.ts), how it is configured (node-env.ts), what the UI sees of a snapshot
// message (message-view.ts), and that the node's snapshot chunks always fit in a peer frame.
import { describe, expect, it } from 'vitest';
import { SnapshotPolicy, NODE_SNAPSHOT_CHUNK_CHARS, DEFAULT_SNAPSHOT_POLICY } from '../../../src/node/runtime/snapshot-policy';
import { readNodeEnvironment } from '../../../src/node/node-env';
import { toMessageView } from '../../../src/node/reporting/message-view';
import { decodePeerFrame, encodePeerFrame, MAX_PEER_FRAME_BYTES, MAX_SNAPSHOT_CHUNK_CHARS, type PeerFrame } from '../../../src/protocol/wire';
import type { InstallSnapshot } from '../../../src/raft/types';

describe('SnapshotPolicy', () => {
  it('takes the KV snapshot every N applied entries and hands it over once K more were applied', () => {
    const policy = new SnapshotPolicy({ everyEntries: 10, keepEntries: 3 }, 0);
    const taken: number[] = [];
    const due: number[] = [];
    for (let applied = 1; applied <= 40; applied++) {
      const compaction = policy.afterApply(applied, due[due.length - 1] ?? 0, () => {
        taken.push(applied);
        return `state ${applied}`;
      });
      if (compaction) {
        expect(compaction.data).toBe(`state ${compaction.index}`);
        expect(applied - compaction.index, 'the tail kept for lagging followers').toBe(3);
        due.push(compaction.index);
      }
    }
    expect(taken).toEqual([10, 20, 30, 40]);
    expect(due).toEqual([10, 20, 30]);
  });

  it('starts counting from a recovered snapshot, and drops a waiting snapshot an installed one overtook', () => {
    const policy = new SnapshotPolicy({ everyEntries: 10, keepEntries: 5 }, 100);
    expect(policy.afterApply(109, 100, () => 'never')).toBeNull();
    expect(policy.afterApply(110, 100, () => 'at 110')).toBeNull(); // taken, waiting for its tail
    // The leader's snapshot at 120 arrived meanwhile: ours at 110 is older and must not reach the core.
    expect(policy.afterApply(121, 120, () => 'unused')).toBeNull();
    expect(policy.afterApply(129, 120, () => 'unused')).toBeNull();
    const taken = policy.afterApply(130, 120, () => 'at 130');
    expect(taken).toBeNull();
    expect(policy.afterApply(135, 120, () => 'unused')).toEqual({ index: 130, data: 'at 130' });
  });

  it('keepEntries 0 compacts at once; everyEntries 0 never does; bad settings are refused', () => {
    expect(new SnapshotPolicy({ everyEntries: 5, keepEntries: 0 }, 0).afterApply(5, 0, () => 's')).toEqual({ index: 5, data: 's' });
    const off = new SnapshotPolicy({ everyEntries: 0, keepEntries: 0 }, 0);
    expect(off.afterApply(1_000_000, 0, () => { throw new Error('must not snapshot'); })).toBeNull();
    expect(() => new SnapshotPolicy({ everyEntries: -1, keepEntries: 0 }, 0)).toThrow(RangeError);
    expect(() => new SnapshotPolicy({ everyEntries: 1.5, keepEntries: 0 }, 0)).toThrow(RangeError);
  });
});

describe('node environment: snapshot settings', () => {
  const base = { RAFT_LAB_NODE_ID: '2', RAFT_LAB_CONTROL: 'tcp://127.0.0.1:5555', RAFT_LAB_SECRET: 's'.repeat(32), RAFT_LAB_DATA_DIR: '/tmp/x' };

  it('defaults when unset or empty, and reads valid counts', () => {
    expect(readNodeEnvironment(base).snapshotPolicy).toEqual(DEFAULT_SNAPSHOT_POLICY);
    expect(readNodeEnvironment({ ...base, RAFT_LAB_SNAPSHOT_EVERY_ENTRIES: '', RAFT_LAB_SNAPSHOT_KEEP_ENTRIES: '' }).snapshotPolicy)
      .toEqual(DEFAULT_SNAPSHOT_POLICY);
    expect(readNodeEnvironment({ ...base, RAFT_LAB_SNAPSHOT_EVERY_ENTRIES: '20', RAFT_LAB_SNAPSHOT_KEEP_ENTRIES: '0' }).snapshotPolicy)
      .toEqual({ everyEntries: 20, keepEntries: 0 });
  });

  it('refuses anything else with a message naming the variable', () => {
    for (const bad of ['-1', '1.5', 'many', '99999999999']) {
      expect(() => readNodeEnvironment({ ...base, RAFT_LAB_SNAPSHOT_EVERY_ENTRIES: bad }), bad).toThrow(/RAFT_LAB_SNAPSHOT_EVERY_ENTRIES/);
      expect(() => readNodeEnvironment({ ...base, RAFT_LAB_SNAPSHOT_KEEP_ENTRIES: bad }), bad).toThrow(/RAFT_LAB_SNAPSHOT_KEEP_ENTRIES/);
    }
  });
});

function installSnapshot(data: string): InstallSnapshot {
  return { type: 'InstallSnapshot', from: 1, to: 2, term: 7, lastIncludedIndex: 9_000_000, lastIncludedTerm: 6, offset: 123_456_789, data, done: false };
}

describe('snapshot chunks on the wire', () => {
  it('a chunk of the node\'s size fits in a peer frame even when every character needs a 6-byte escape', () => {
    expect(NODE_SNAPSHOT_CHUNK_CHARS).toBeLessThanOrEqual(MAX_SNAPSHOT_CHUNK_CHARS);
    for (const worst of ['\u0001', '\ud800', '"', '🚀'.slice(0, 1)]) {
      const frame: PeerFrame = { v: 1, id: `1.${'z'.repeat(60)}`, sentAtNs: 1e18, msg: installSnapshot(worst.repeat(NODE_SNAPSHOT_CHUNK_CHARS)) };
      const bytes = encodePeerFrame(frame);
      expect(bytes.length, JSON.stringify(worst)).toBeLessThan(MAX_PEER_FRAME_BYTES / 2);
      const decoded = decodePeerFrame(bytes);
      expect(decoded.ok, JSON.stringify(worst)).toBe(true);
      if (decoded.ok) expect(decoded.frame.msg).toEqual(frame.msg);
    }
  });

  it('the UI sees a chunk\'s size, offset and whether it is the last, never its data', () => {
    const view = toMessageView(installSnapshot('secret values'.repeat(100)));
    expect(view).toEqual({ type: 'InstallSnapshot', from: 1, to: 2, term: 7,
      fields: { lastIncludedIndex: 9_000_000, lastIncludedTerm: 6, offset: 123_456_789, dataChars: 1300, done: false } });
    expect(JSON.stringify(view)).not.toContain('secret');
  });
});
