// How the lab tells a node process who it is. Environment variables rather than argv so that the control secret
// does not show in `ps`. Validated strictly: a node started wrongly exits at once with a clear message.
import { z } from 'zod';
import { DEFAULT_SNAPSHOT_POLICY, MAX_SNAPSHOT_EVERY_ENTRIES, MAX_SNAPSHOT_KEEP_ENTRIES, type SnapshotPolicyOptions } from './runtime/snapshot-policy';

/** Optional integer setting: absent or empty means the default. */
const optionalCount = (max: number) => z.preprocess((value) => (value === '' ? undefined : value),
  z.coerce.number().int().min(0).max(max).optional());

const envSchema = z.object({
  RAFT_LAB_NODE_ID: z.coerce.number().int().min(1).max(25),
  RAFT_LAB_CONTROL: z.string().regex(/^tcp:\/\/127\.0\.0\.1:\d{1,5}$/, 'must be tcp://127.0.0.1:<port>'),
  RAFT_LAB_SECRET: z.string().min(16).max(128),
  RAFT_LAB_DATA_DIR: z.string().min(1),
  /** Log compaction (snapshot-policy.ts): tests make it frequent; 0 turns it off. Inherited from the lab's env. */
  RAFT_LAB_SNAPSHOT_EVERY_ENTRIES: optionalCount(MAX_SNAPSHOT_EVERY_ENTRIES),
  RAFT_LAB_SNAPSHOT_KEEP_ENTRIES: optionalCount(MAX_SNAPSHOT_KEEP_ENTRIES),
});

export interface NodeEnvironment {
  readonly nodeId: number;
  readonly controlEndpoint: string;
  readonly secret: string;
  readonly dataDir: string;
  readonly snapshotPolicy: SnapshotPolicyOptions;
}

export function readNodeEnvironment(env: NodeJS.ProcessEnv): NodeEnvironment {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) throw new Error(`raft node: bad environment: ${z.prettifyError(parsed.error)}`);
  return {
    nodeId: parsed.data.RAFT_LAB_NODE_ID,
    controlEndpoint: parsed.data.RAFT_LAB_CONTROL,
    secret: parsed.data.RAFT_LAB_SECRET,
    dataDir: parsed.data.RAFT_LAB_DATA_DIR,
    snapshotPolicy: {
      everyEntries: parsed.data.RAFT_LAB_SNAPSHOT_EVERY_ENTRIES ?? DEFAULT_SNAPSHOT_POLICY.everyEntries,
      keepEntries: parsed.data.RAFT_LAB_SNAPSHOT_KEEP_ENTRIES ?? DEFAULT_SNAPSHOT_POLICY.keepEntries,
    },
  };
}
