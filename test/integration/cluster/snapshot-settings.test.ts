// A cluster's own compaction policy (ClusterSettings.snapshotEveryEntries / snapshotKeepEntries) reaches the real
// node processes: with no environment variable set, they compact after a handful of entries; without it, they do not.
import { afterEach, describe, expect, it } from 'vitest';
import type { LabEvent } from '../../../src/protocol/events';
import { closeAllLabs, ClusterLab, putRetryingUnknown } from './cluster-harness';

afterEach(closeAllLabs);

type RaftEvent = Extract<LabEvent, { type: 'raft' }>;
const compacted = (event: LabEvent): event is RaftEvent => event.type === 'raft' && event.event.kind === 'log-compacted';

async function writeTen(lab: ClusterLab): Promise<void> {
  await lab.waitForLeader();
  for (let i = 0; i < 10; i += 1) await putRetryingUnknown(lab, `k${i % 3}`, `v${i}`);
}

describe('a cluster-wide snapshot policy on real processes', () => {
  it('compacts every few entries when the settings say so', async () => {
    expect(process.env.RAFT_LAB_SNAPSHOT_EVERY_ENTRIES).toBeUndefined();
    const lab = await ClusterLab.start({ nodeCount: 3, snapshotEveryEntries: 4, snapshotKeepEntries: 1 });
    await writeTen(lab);
    const event = await lab.waitForEvent(0, compacted, 'a node to compact its log');
    expect(event.event.data.lastIncludedIndex).toBeGreaterThanOrEqual(4);
    expect((await lab.snapshot()).settings).toMatchObject({ snapshotEveryEntries: 4, snapshotKeepEntries: 1 });
  });

  it('keeps the default policy otherwise (no compaction after ten entries)', async () => {
    const lab = await ClusterLab.start({ nodeCount: 3 });
    await writeTen(lab);
    expect(lab.eventsSince(0, compacted)).toEqual([]);
  });
});
