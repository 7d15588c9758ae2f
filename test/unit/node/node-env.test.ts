// A node reads its environment with a hand-written check (no zod in a node process: docs/benchmarks.md). Here it
// meets the zod schema it replaced, kept as the reference: the same generated, mutated and garbage environments
// must be accepted and refused alike and read to the same settings.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readNodeEnvironment, type NodeEnvironment } from '../../../src/node/node-env';
import { DEFAULT_SNAPSHOT_POLICY, MAX_SNAPSHOT_EVERY_ENTRIES, MAX_SNAPSHOT_KEEP_ENTRIES } from '../../../src/node/runtime/snapshot-policy';
import { agreementSeed, expectAgreement, intIn, type Json, type Outcome, type Random } from '../protocol/agreement';

// --- The reference: src/node/node-env.ts's schema as it was at 9446c8a. ---
const optionalCount = (max: number) => z.preprocess((value) => (value === '' ? undefined : value),
  z.coerce.number().int().min(0).max(max).optional());

const envSchema = z.object({
  RAFT_LAB_NODE_ID: z.coerce.number().int().min(1).max(25),
  RAFT_LAB_CONTROL: z.string().regex(/^tcp:\/\/127\.0\.0\.1:\d{1,5}$/, 'must be tcp://127.0.0.1:<port>'),
  RAFT_LAB_SECRET: z.string().min(16).max(128),
  RAFT_LAB_DATA_DIR: z.string().min(1),
  RAFT_LAB_SNAPSHOT_EVERY_ENTRIES: optionalCount(MAX_SNAPSHOT_EVERY_ENTRIES),
  RAFT_LAB_SNAPSHOT_KEEP_ENTRIES: optionalCount(MAX_SNAPSHOT_KEEP_ENTRIES),
});

function readWithZod(env: unknown): NodeEnvironment {
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

function environment(random: Random): Json {
  const env: Record<string, Json> = {
    RAFT_LAB_NODE_ID: String(intIn(random, 1, 25)),
    RAFT_LAB_CONTROL: `tcp://127.0.0.1:${intIn(random, 1, 65535)}`,
    RAFT_LAB_SECRET: random() < 0.2 ? '😀'.repeat(intIn(random, 16, 128)) : 's'.repeat(intIn(random, 16, 128)),
    RAFT_LAB_DATA_DIR: random() < 0.5 ? '/tmp/raft-lab/node-1' : 'd',
    PATH: '/usr/bin',
  };
  if (random() < 0.5) env['RAFT_LAB_SNAPSHOT_EVERY_ENTRIES'] = random() < 0.3 ? '' : String(intIn(random, 0, 1_000_000));
  if (random() < 0.5) env['RAFT_LAB_SNAPSHOT_KEEP_ENTRIES'] = random() < 0.3 ? '' : String(intIn(random, 0, 1_000_000));
  return env;
}

function outcome(read: (env: NodeJS.ProcessEnv) => NodeEnvironment, value: unknown): Outcome {
  try {
    return { ok: true, value: read(value as NodeJS.ProcessEnv) };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

describe('the node environment check', () => {
  it('agrees with the zod schema it replaced', () => {
    const seed = agreementSeed();
    const { accepted, rejected } = expectAgreement({
      name: 'node environment', seed, rounds: 3000, valid: (random) => environment(random),
      bySchema: (value) => outcome(readWithZod, value),
      byCheck: (value) => outcome(readNodeEnvironment, value),
    });
    expect(accepted, `seed=${seed}`).toBeGreaterThan(750);
    expect(rejected, `seed=${seed}`).toBeGreaterThan(750);
  });

  it('names the variable and what it should be', () => {
    const base = { RAFT_LAB_NODE_ID: '2', RAFT_LAB_CONTROL: 'tcp://127.0.0.1:5555', RAFT_LAB_SECRET: 's'.repeat(32), RAFT_LAB_DATA_DIR: '/tmp/x' };
    expect(() => readNodeEnvironment({ ...base, RAFT_LAB_NODE_ID: '26' }))
      .toThrow('raft node: bad environment: RAFT_LAB_NODE_ID: expected an integer in [1, 25], got "26"');
    expect(() => readNodeEnvironment({ ...base, RAFT_LAB_CONTROL: 'tcp://0.0.0.0:1' }))
      .toThrow('raft node: bad environment: RAFT_LAB_CONTROL: must be tcp://127.0.0.1:<port>');
    expect(() => readNodeEnvironment({ ...base, RAFT_LAB_SECRET: undefined }))
      .toThrow('raft node: bad environment: RAFT_LAB_SECRET: expected a string, got nothing');
  });
});
