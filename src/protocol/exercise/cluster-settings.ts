// The lab settings an exercise's or demo's cluster runs with: its own where it says, else the lab's teaching
// defaults. One function for the app and the headless runners, so both run exactly the same cluster.
import { TEACHING_SETTINGS, type ClusterSettings, type Implementation } from '../lab-api';
import type { BugName } from '../../raft/types';
import type { ClusterSpec } from './schema';

/**
 * `implementation`: a student's own Raft to run it on, for an exercise whose goals it can reach
 * (implementation-fit.ts); absent, the lab's own Raft, whatever the last cluster ran.
 */
export function clusterSettingsOf(spec: ClusterSpec, implementation: Implementation = { kind: 'raft' }): ClusterSettings {
  return {
    ...TEACHING_SETTINGS,
    nodeCount: spec.nodes,
    ...(spec.electionTimeoutMs ? { electionTimeoutMs: spec.electionTimeoutMs } : {}),
    ...(spec.heartbeatMs === undefined ? {} : { heartbeatMs: spec.heartbeatMs }),
    ...(spec.timeScale === undefined ? {} : { timeScale: spec.timeScale }),
    ...(spec.networkDelayMs ? { networkDelayMs: spec.networkDelayMs } : {}),
    ...(spec.timerSeed === undefined ? {} : { timerSeed: spec.timerSeed }),
    ...(spec.startPaused === undefined ? {} : { startPaused: spec.startPaused }),
    ...(spec.preVote === undefined ? {} : { preVote: spec.preVote }),
    ...(spec.checkQuorum === undefined ? {} : { checkQuorum: spec.checkQuorum }),
    ...(spec.membershipMode === undefined ? {} : { membershipMode: spec.membershipMode }),
    ...(spec.snapshotEveryEntries === undefined ? {} : { snapshotEveryEntries: spec.snapshotEveryEntries }),
    ...(spec.snapshotKeepEntries === undefined ? {} : { snapshotKeepEntries: spec.snapshotKeepEntries }),
    implementation,
    // Validated as bug names by the schema (isBugName).
    bugs: (spec.bugs ?? []) as BugName[],
  };
}
