// What crosses the boundary from the Raft core to the lab's other sides (the renderer above all, which imports only
// src/protocol): the names of servers and roles, and the planted-bug registry. Re-exported, not copied: the core
// stays their one source.
export type { BugName, NodeId, Role } from '../raft/types';
export { BUG_NAMES, PLANTED_BUGS, isBugName, type PlantedBug } from '../raft/planted-bugs';
