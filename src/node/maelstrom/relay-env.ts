// What a relay node needs besides what every node gets (node-env.ts): the student's executable, its arguments and
// the cluster's size (for init's node_ids). Environment variables, as for every node (the lab sets them:
// byoNodeLauncher in src/lab/node-launcher.ts, and the controller the size); validated strictly.
import { z } from 'zod';

const MAX_ARGS = 64;

const relayEnvSchema = z.object({
  RAFT_LAB_BYO_BIN: z.string().min(1).max(4096),
  /** A JSON array of strings (the --arg values, in order); absent: none. */
  RAFT_LAB_BYO_ARGS: z.string().max(64 * 1024).optional(),
  RAFT_LAB_CLUSTER_SIZE: z.coerce.number().int().min(1).max(25),
});

const argsSchema = z.array(z.string().max(4096)).max(MAX_ARGS);

export interface RelayEnvironment {
  readonly command: string;
  readonly args: readonly string[];
  readonly clusterSize: number;
}

export function readRelayEnvironment(env: NodeJS.ProcessEnv): RelayEnvironment {
  const parsed = relayEnvSchema.safeParse(env);
  if (!parsed.success) throw new Error(`relay node: bad environment: ${z.prettifyError(parsed.error)}`);
  let args: unknown = [];
  try {
    args = JSON.parse(parsed.data.RAFT_LAB_BYO_ARGS ?? '[]') as unknown;
  } catch {
    throw new Error('relay node: RAFT_LAB_BYO_ARGS is not JSON');
  }
  const checkedArgs = argsSchema.safeParse(args);
  if (!checkedArgs.success) throw new Error(`relay node: RAFT_LAB_BYO_ARGS: ${z.prettifyError(checkedArgs.error)}`);
  return { command: parsed.data.RAFT_LAB_BYO_BIN, args: checkedArgs.data, clusterSize: parsed.data.RAFT_LAB_CLUSTER_SIZE };
}
