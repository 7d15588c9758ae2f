// The app's workload panel against a student's own nodes: the panel's spec (rate, clients, keys, mix) run as
// Maelstrom's lin-kv workload, the same one `raft-lab maelstrom` runs (lin-kv-workload.ts), so its outcomes follow
// the same rules (error 11 and timeouts unknown, a cas refused by its value failed). get, put and cas are lin-kv's
// read, write and cas; lin-kv has no delete, so a delete share is left out. Each run takes K integer keys that
// nothing wrote before (the checker takes every key to start absent, and the client box, an exercise or the last run
// may have written 0..K-1): a block of KEY_BLOCK keys drawn at random.
import type { KvOpName, WorkloadSpec } from '../../protocol/lab-api';
import type { WorkloadSource } from '../client/workload-report';
import { LinKvWorkload, type LinKvContext, type LinKvOp } from './lin-kv-workload';

/** Maelstrom's clients wait 1 s for a reply; the panel's clients wait that long in lab time. */
const DEFAULT_REQUEST_TIMEOUT_LAB_MS = 1000;

/** Keys come in blocks of this many (the panel allows up to 1,000 keys); a run's block is one of MAX_BLOCKS. */
const KEY_BLOCK = 1000;
const MAX_BLOCKS = 1_000_000;

const LIN_KV_OP_OF: Readonly<Record<KvOpName, LinKvOp | null>> = { get: 'read', put: 'write', cas: 'cas', delete: null };

export class LinKvPanelWorkload implements WorkloadSource {
  readonly workload: LinKvWorkload;

  /** The run's first key (its keys are firstKey..firstKey+K-1). */
  readonly firstKey: number;

  /** Throws (changing nothing) when the mix has no operation lin-kv knows. */
  constructor(readonly spec: WorkloadSpec, timeScale: number, context: LinKvContext) {
    const mix: Partial<Record<LinKvOp, number>> = {};
    for (const [op, share] of Object.entries(spec.mix) as [KvOpName, number | undefined][]) {
      const linKvOp = LIN_KV_OP_OF[op];
      if (linKvOp !== null && share !== undefined && share > 0) mix[linKvOp] = share;
    }
    if (Object.keys(mix).length === 0) {
      throw new Error('Maelstrom\'s lin-kv has no delete: give get, put or cas a share of the mix');
    }
    this.firstKey = KEY_BLOCK * (1 + Math.floor(context.random() * MAX_BLOCKS));
    const requestTimeoutMs = (spec.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_LAB_MS) * Math.max(1, timeScale);
    this.workload = new LinKvWorkload({ clients: spec.clients, keys: spec.keys, ratePerSecond: spec.ratePerSecond, mix,
      requestTimeoutMs, firstKey: this.firstKey }, context);
  }

  get history(): LinKvWorkload['history'] {
    return this.workload.history;
  }

  get isRunning(): boolean {
    return this.workload.isRunning;
  }

  start(): void {
    this.workload.start();
  }

  stop(): Promise<void> {
    return this.workload.stop();
  }
}
