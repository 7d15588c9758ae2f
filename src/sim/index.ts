// Public surface of the deterministic simulator (free of Node-only modules; the benchmark lives in ./bench).
export { Simulation, type SimulationOptions, type SimulationListener, type MessageStats, type CreateNode, type SnapshotSource } from './engine/simulation';
export { createHarness, SimHarness, type Harness, type HarnessOptions, type HarnessProposal, type HarnessNodeState } from './harness';
export { Network, DEFAULT_NETWORK_OPTIONS, isRequest, type NetworkOptions, type LatencyProfile, type DropReason, type Fate } from './engine/network';
export { Trace, type TraceRecord, type TraceListener } from './engine/trace';
export { Prng } from './engine/prng';
export { EventQueue } from './engine/event-queue';
export { SimDisk } from './engine/disk';
export { KNOWN_BUGS, parseBugNames } from './faults/bugs';
export { FaultSchedule, FAULT_PROFILES, QUIET_NETWORK, type FaultProfile, type FaultProfileName, type FaultKind } from './faults/fault-schedule';
export { runFuzzSeed, replayCommand, type FuzzOptions, type FuzzResult, type FuzzFailure, type FuzzFailureKind } from './drivers/fuzz';
export { KvWorkload, DEFAULT_KV_WORKLOAD, type KvWorkloadOptions } from './drivers/kv-workload';
export { runKvSeed, kvReplayCommand, type KvRunOptions, type KvRunResult } from './drivers/kv-run';
