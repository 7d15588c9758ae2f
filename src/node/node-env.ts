// How the lab tells a node process who it is. Environment variables rather than argv so that the control secret
// does not show in `ps`. Validated strictly: a node started wrongly exits at once with a clear message. Checked by
// hand, not with zod, which a node process does not load (docs/benchmarks.md); the rules are those of the zod
// schema this replaced, and test/unit/node/node-env.test.ts holds the two to the same answers.
import { attempt, checkAt, fail, text, type Check } from '../protocol/check';
import { LOOPBACK_ENDPOINT, MAX_SECRET_CHARS, MIN_SECRET_CHARS } from '../protocol/control';
import { MAX_NODE_ID } from '../protocol/validate';
import { DEFAULT_SNAPSHOT_POLICY, MAX_SNAPSHOT_EVERY_ENTRIES, MAX_SNAPSHOT_KEEP_ENTRIES, type SnapshotPolicyOptions } from './runtime/snapshot-policy';

export interface NodeEnvironment {
  readonly nodeId: number;
  readonly controlEndpoint: string;
  readonly secret: string;
  readonly dataDir: string;
  readonly snapshotPolicy: SnapshotPolicyOptions;
}

/** An integer setting, read as JavaScript's Number() reads it ("0x10" is 16, " 7 " is 7). */
function integerSetting(min: number, max: number): Check<number> {
  return (value) => {
    const number = Number(value);
    if (Number.isSafeInteger(number) && number >= min && number <= max) return number;
    return fail(`expected an integer in [${min}, ${max}], got ${value === undefined ? 'nothing' : JSON.stringify(value)}`);
  };
}

/** Optional integer setting: absent or empty means the default. */
function optionalCount(max: number): Check<number | undefined> {
  const count = integerSetting(0, max);
  return (value) => (value === undefined || value === '' ? undefined : count(value));
}

function readChecked(env: NodeJS.ProcessEnv): NodeEnvironment {
  const everyEntries = checkAt('RAFT_LAB_SNAPSHOT_EVERY_ENTRIES', env['RAFT_LAB_SNAPSHOT_EVERY_ENTRIES'], optionalCount(MAX_SNAPSHOT_EVERY_ENTRIES));
  const keepEntries = checkAt('RAFT_LAB_SNAPSHOT_KEEP_ENTRIES', env['RAFT_LAB_SNAPSHOT_KEEP_ENTRIES'], optionalCount(MAX_SNAPSHOT_KEEP_ENTRIES));
  return {
    nodeId: checkAt('RAFT_LAB_NODE_ID', env['RAFT_LAB_NODE_ID'], integerSetting(1, MAX_NODE_ID)),
    controlEndpoint: checkAt('RAFT_LAB_CONTROL', env['RAFT_LAB_CONTROL'],
      text(0, Number.MAX_SAFE_INTEGER, LOOPBACK_ENDPOINT, 'must be tcp://127.0.0.1:<port>')),
    secret: checkAt('RAFT_LAB_SECRET', env['RAFT_LAB_SECRET'], text(MIN_SECRET_CHARS, MAX_SECRET_CHARS)),
    dataDir: checkAt('RAFT_LAB_DATA_DIR', env['RAFT_LAB_DATA_DIR'], text(1, Number.MAX_SAFE_INTEGER)),
    /** Log compaction (snapshot-policy.ts): tests make it frequent; 0 turns it off. Inherited from the lab's env. */
    snapshotPolicy: {
      everyEntries: everyEntries ?? DEFAULT_SNAPSHOT_POLICY.everyEntries,
      keepEntries: keepEntries ?? DEFAULT_SNAPSHOT_POLICY.keepEntries,
    },
  };
}

export function readNodeEnvironment(env: NodeJS.ProcessEnv): NodeEnvironment {
  const read = attempt(() => readChecked(env), env);
  if (!read.ok) throw new Error(`raft node: bad environment: ${read.error}`);
  return read.value;
}
