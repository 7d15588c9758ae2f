// Public surface of the deterministic simulator (free of Node-only modules; the benchmark lives in ./bench).
export { Simulation, type SimulationOptions, type SimulationListener, type MessageStats, type CreateNode, type SnapshotSource } from './simulation';
export { createHarness, SimHarness, type Harness, type HarnessOptions, type HarnessProposal, type HarnessNodeState } from './harness';
export { Network, DEFAULT_NETWORK_OPTIONS, isRequest, type NetworkOptions, type LatencyProfile, type DropReason, type Fate } from './network';
export { Trace, type TraceRecord, type TraceListener } from './trace';
export { Prng } from './prng';
export { EventQueue } from './event-queue';
export { SimDisk } from './disk';
export { KNOWN_BUGS, parseBugNames } from './bugs';
export { FaultSchedule, FAULT_PROFILES, QUIET_NETWORK, type FaultProfile, type FaultProfileName, type FaultKind } from './fault-schedule';
export { runFuzzSeed, replayCommand, type FuzzOptions, type FuzzResult, type FuzzFailure, type FuzzFailureKind } from './fuzz';
export { KvWorkload, DEFAULT_KV_WORKLOAD, type KvWorkloadOptions } from './kv-workload';
export { runKvSeed, kvReplayCommand, type KvRunOptions, type KvRunResult } from './kv-run';
