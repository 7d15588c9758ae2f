// How the lab tells a node process who it is. Environment variables rather than argv so that the control secret
// does not show in `ps`. Validated strictly: a node started wrongly exits at once with a clear message.
import { z } from 'zod';

const envSchema = z.object({
  RAFT_LAB_NODE_ID: z.coerce.number().int().min(1).max(25),
  RAFT_LAB_CONTROL: z.string().regex(/^tcp:\/\/127\.0\.0\.1:\d{1,5}$/, 'must be tcp://127.0.0.1:<port>'),
  RAFT_LAB_SECRET: z.string().min(16).max(128),
  RAFT_LAB_DATA_DIR: z.string().min(1),
});

export interface NodeEnvironment {
  readonly nodeId: number;
  readonly controlEndpoint: string;
  readonly secret: string;
  readonly dataDir: string;
}

export function readNodeEnvironment(env: NodeJS.ProcessEnv): NodeEnvironment {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) throw new Error(`raft node: bad environment: ${z.prettifyError(parsed.error)}`);
  return {
    nodeId: parsed.data.RAFT_LAB_NODE_ID,
    controlEndpoint: parsed.data.RAFT_LAB_CONTROL,
    secret: parsed.data.RAFT_LAB_SECRET,
    dataDir: parsed.data.RAFT_LAB_DATA_DIR,
  };
}
