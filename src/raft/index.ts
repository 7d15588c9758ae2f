// Public surface of the pure Raft core.
export * from './types';
export { createRaftNode, MAX_UNCOMMITTED_ENTRIES } from './raft-node';
export { BUG_NAMES, PLANTED_BUGS, isBugName, type PlantedBug } from './planted-bugs';
export { isLogUpToDate } from './election';
export { DEFAULT_MAX_ENTRIES_PER_MESSAGE } from './config';
export { MAX_LEARNER_ROUNDS } from './membership';
