// ClusterSettings.membershipMode (joint consensus on the real cluster, paper §6) from each place settings come from:
// an exercise or demo file, the Lab API's startCluster, a recorded session's settings.
import { describe, expect, it } from 'vitest';
import { clusterSettingsOf } from '../../../src/protocol/exercise/cluster-settings';
import { clusterSpecSchema } from '../../../src/protocol/exercise/schema';
import { clusterSettingsPatchSchema } from '../../../src/protocol/lab-methods';
import { clusterSettingsSchema } from '../../../src/protocol/events';
import { DEFAULT_SETTINGS } from '../../../src/protocol/lab-api';

describe('the membership mode of a cluster', () => {
  it('goes from an exercise file to the lab settings; absent, an exercise runs single-server changes whatever ran before', () => {
    expect(clusterSettingsOf(clusterSpecSchema.parse({ nodes: 3, membershipMode: 'joint' })).membershipMode).toBe('joint');
    expect(clusterSettingsOf(clusterSpecSchema.parse({ nodes: 3 })).membershipMode).toBe('single-server');
    expect(clusterSpecSchema.safeParse({ nodes: 3, membershipMode: 'all-at-once' }).success).toBe(false);
  });

  it('is validated by startCluster\'s schema and kept in recorded settings, optional in both (old recordings have none)', () => {
    expect(clusterSettingsPatchSchema.safeParse({ membershipMode: 'joint' }).success).toBe(true);
    expect(clusterSettingsPatchSchema.safeParse({ membershipMode: 'JOINT' }).success).toBe(false);
    expect(clusterSettingsPatchSchema.safeParse({ membershipMode: 1 }).success).toBe(false);
    expect(clusterSettingsSchema.parse({ ...DEFAULT_SETTINGS, membershipMode: 'joint' }).membershipMode).toBe('joint');
    const { membershipMode: _absent, ...old } = DEFAULT_SETTINGS;
    expect(clusterSettingsSchema.parse(old).membershipMode).toBeUndefined();
    expect(DEFAULT_SETTINGS.membershipMode).toBe('single-server');
  });
});
