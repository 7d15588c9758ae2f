// The lab settings an exercise's or demo's cluster runs with: its own where it says, else the lab's teaching
// defaults. One function for the app and the headless runners, so both run exactly the same cluster.
import { TEACHING_SETTINGS, type ClusterSettings } from '../lab-api';
import type { BugName } from '../../raft/types';
import type { ClusterSpec } from './schema';

export function clusterSettingsOf(spec: ClusterSpec): ClusterSettings {
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
    ...(spec.snapshotEveryEntries === undefined ? {} : { snapshotEveryEntries: spec.snapshotEveryEntries }),
    ...(spec.snapshotKeepEntries === undefined ? {} : { snapshotKeepEntries: spec.snapshotKeepEntries }),
    // Exercises and demos are written for the lab's Raft, whatever the last cluster ran.
    implementation: { kind: 'raft' },
    // Validated as bug names by the schema (isBugName).
    bugs: (spec.bugs ?? []) as BugName[],
  };
}
