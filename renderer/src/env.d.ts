/// <reference types="vite/client" />

/** True only in the renderer benchmark's build (test/bench/renderer-bench.ts), which carries its synthetic lab. */
declare const __RAFT_LAB_BENCH__: boolean;
