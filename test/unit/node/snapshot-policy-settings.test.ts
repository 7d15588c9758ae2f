// A cluster's own compaction policy (ClusterSettings.snapshotEveryEntries / snapshotKeepEntries, for exercises that
// compact at a small scale): validated wherever settings cross a boundary, carried to the node, and applied field by
// field over the node's own policy; absent, nothing changes.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SNAPSHOT_POLICY, snapshotPolicyOf } from '../../../src/node/runtime/snapshot-policy';
import { nodeConfigSchema } from '../protocol/reference/lab-to-node-schema';
import { clusterSettingsSchema } from '../../../src/protocol/events';
import { clusterSettingsOf } from '../../../src/protocol/exercise/cluster-settings';
import { clusterSpecSchema } from '../../../src/protocol/exercise/schema';
import { TEACHING_SETTINGS } from '../../../src/protocol/lab-api';
import { clusterSettingsPatchSchema } from '../../../src/protocol/lab-methods';

const CONFIG = {
  members: { 1: 'tcp://127.0.0.1:5001' }, electionTimeoutMs: [150, 300], heartbeatMs: 50,
  clock: { anchorNs: 0, labMs: 0, timeScale: 1, frozen: false }, networkDelayMs: [0, 0], preVote: false, checkQuorum: false,
  bugs: [], randomSeed: 1, faults: { outbound: {}, blockedFrom: [] }, eventDetail: 'full',
};

describe('a cluster-wide snapshot policy', () => {
  it('overrides the node policy field by field, and leaves it alone when absent', () => {
    const own = { everyEntries: 300, keepEntries: 40 };
    expect(snapshotPolicyOf({}, own)).toEqual(own);
    expect(snapshotPolicyOf({ snapshotEveryEntries: 10 }, own)).toEqual({ everyEntries: 10, keepEntries: 40 });
    expect(snapshotPolicyOf({ snapshotEveryEntries: 10, snapshotKeepEntries: 2 }, own)).toEqual({ everyEntries: 10, keepEntries: 2 });
    expect(snapshotPolicyOf({ snapshotEveryEntries: 0 }, DEFAULT_SNAPSHOT_POLICY)).toEqual({ everyEntries: 0, keepEntries: 1000 });
  });

  it('goes from an exercise file to the lab settings, and is absent unless the file sets it', () => {
    const spec = clusterSpecSchema.parse({ nodes: 3, snapshotEveryEntries: 10, snapshotKeepEntries: 2 });
    expect(clusterSettingsOf(spec)).toMatchObject({ snapshotEveryEntries: 10, snapshotKeepEntries: 2 });
    const plain = clusterSettingsOf(clusterSpecSchema.parse({ nodes: 3 }));
    expect('snapshotEveryEntries' in plain || 'snapshotKeepEntries' in plain).toBe(false);
    expect(clusterSpecSchema.safeParse({ nodes: 3, snapshotEveryEntries: -1 }).success).toBe(false);
    expect(clusterSpecSchema.safeParse({ nodes: 3, snapshotKeepEntries: 1.5 }).success).toBe(false);
  });

  it('is validated by the lab method, the recorded settings and the node configuration, all optional', () => {
    expect(clusterSettingsPatchSchema.parse({ snapshotEveryEntries: 10, snapshotKeepEntries: 2 })).toEqual({ snapshotEveryEntries: 10, snapshotKeepEntries: 2 });
    expect(clusterSettingsPatchSchema.safeParse({ snapshotEveryEntries: 1_000_001 }).success).toBe(false);
    const recorded = { ...TEACHING_SETTINGS, electionTimeoutMs: [150, 300], networkDelayMs: [8, 15], bugs: [] };
    expect(clusterSettingsSchema.safeParse(recorded).success).toBe(true);
    expect(clusterSettingsSchema.safeParse({ ...recorded, snapshotEveryEntries: 10, snapshotKeepEntries: 2 }).success).toBe(true);
    expect(clusterSettingsSchema.safeParse({ ...recorded, snapshotKeepEntries: -2 }).success).toBe(false);
    expect(nodeConfigSchema.safeParse(CONFIG).success).toBe(true);
    expect(nodeConfigSchema.parse({ ...CONFIG, snapshotEveryEntries: 10, snapshotKeepEntries: 2 })).toMatchObject({ snapshotEveryEntries: 10, snapshotKeepEntries: 2 });
    expect(nodeConfigSchema.safeParse({ ...CONFIG, snapshotEveryEntries: 'often' }).success).toBe(false);
  });
});
