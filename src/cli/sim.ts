// `raft-lab sim`: the deterministic simulator from the command line.
//   --seeds N        run N seeds (from --first-seed, default: derived from the clock), print progress and failures
//   --seed S         replay one seed and print its report
//   --seconds T      simulated seconds of faults per seed (default 20)
//   --nodes N        cluster size (default 5)
//   --bugs a,b       planted bugs to switch on
//   --profile P      fault profile: mixed (default), figure8, reboots, partitions, reordering
//   --pre-vote, --check-quorum   Raft extensions
//   --trace N        with --seed: print the last N trace records
//   --kv             KV clients instead of raw proposals; the history must be linearizable (default profile
//                    partitions, 10 s); --no-invariants leaves the checking to the linearizability checker alone;
//                    --snapshot-every N compacts the log every N applied entries (default 50, 0 = never)
//   --bench          how many times faster than real time a 5-node cluster under client load simulates
import { parseBugNames } from '../sim/bugs';
import { runBench } from '../sim/bench';
import { FAULT_PROFILES, type FaultProfileName } from '../sim/fault-schedule';
import { runFuzzSeed, type FuzzOptions, type FuzzResult } from '../sim/fuzz';
import { runKvSeed, type KvRunOptions } from '../sim/kv-run';
import type { Message } from '../raft/types';
import type { TraceRecord } from '../sim/trace';
import { parseFlags, UsageError } from './args';

const FLAGS = {
  'seeds': 'number',
  'seed': 'number',
  'first-seed': 'number',
  'seconds': 'number',
  'nodes': 'number',
  'bugs': 'string',
  'profile': 'string',
  'pre-vote': 'boolean',
  'check-quorum': 'boolean',
  'trace': 'number',
  'kv': 'boolean',
  'no-invariants': 'boolean',
  'snapshot-every': 'number',
  'bench': 'boolean',
} as const;

const MAX_SEEDS = 1_000_000;
const BENCH_TARGET_SPEEDUP = 1000;

export async function runSimCommand(argv: string[]): Promise<number> {
  const { flags, positional } = parseFlags(argv, FLAGS);
  if (positional.length > 0) throw new UsageError(`unexpected argument "${positional[0]}"`);
  if (flags.bench === true) return bench();
  if (flags.kv === true) return kv(flags);
  if (flags['no-invariants'] === true) throw new UsageError('--no-invariants only goes with --kv');
  if (flags['snapshot-every'] !== undefined) throw new UsageError('--snapshot-every only goes with --kv (fuzz seeds pick their own compaction)');
  const base = baseOptions(flags);
  if (flags.seed !== undefined) {
    if (flags.seeds !== undefined) throw new UsageError('use either --seed or --seeds');
    return replay({ ...base, seed: integer('seed', flags.seed) }, flags.trace ?? 0);
  }
  const count = integer('seeds', flags.seeds ?? 100);
  if (count < 1 || count > MAX_SEEDS) throw new UsageError(`--seeds must be in 1..${MAX_SEEDS}`);
  const firstSeed = integer('first-seed', flags['first-seed'] ?? Date.now() % 1_000_000_000);
  return sweep(base, firstSeed, count);
}

type Base = Omit<FuzzOptions, 'seed'>;
type Flags = ReturnType<typeof parseFlags<typeof FLAGS>>['flags'];

function baseOptions(flags: Flags, defaults: { seconds: number; profile: FaultProfileName } = { seconds: 20, profile: 'mixed' }): Base {
  const seconds = flags.seconds ?? defaults.seconds;
  if (!(seconds > 0 && seconds <= 3600)) throw new UsageError('--seconds must be in (0, 3600]');
  const nodes = integer('nodes', flags.nodes ?? 5);
  if (nodes < 1 || nodes > 15) throw new UsageError('--nodes must be in 1..15');
  const profile = flags.profile ?? defaults.profile;
  if (!(profile in FAULT_PROFILES)) throw new UsageError(`unknown --profile "${profile}"; known: ${Object.keys(FAULT_PROFILES).join(', ')}`);
  let bugs;
  try {
    bugs = parseBugNames(flags.bugs === undefined || flags.bugs === '' ? [] : flags.bugs.split(',').map((name) => name.trim()));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  return {
    seconds,
    nodes,
    bugs,
    profile: profile as FaultProfileName,
    preVote: flags['pre-vote'] ?? false,
    checkQuorum: flags['check-quorum'] ?? false,
  };
}

function integer(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new UsageError(`--${name} must be a non-negative integer, got ${value}`);
  return value;
}

function kv(flags: Flags): number {
  if (flags['pre-vote'] === true || flags['check-quorum'] === true || flags.trace !== undefined) {
    throw new UsageError('--kv runs take --seed/--seeds, --first-seed, --seconds, --nodes, --bugs, --profile, --no-invariants, --snapshot-every');
  }
  const base = baseOptions(flags, { seconds: 10, profile: 'partitions' });
  const options = (seed: number): KvRunOptions => ({
    seed,
    nodes: base.nodes ?? 5,
    seconds: base.seconds ?? 10,
    bugs: base.bugs ?? [],
    profile: base.profile ?? 'partitions',
    checkInvariants: flags['no-invariants'] !== true,
    ...(flags['snapshot-every'] === undefined ? {} : { snapshotEvery: integer('snapshot-every', flags['snapshot-every']) }),
  });
  const seeds: number[] = [];
  if (flags.seed !== undefined) seeds.push(integer('seed', flags.seed));
  else {
    const count = integer('seeds', flags.seeds ?? 20);
    if (count < 1 || count > MAX_SEEDS) throw new UsageError(`--seeds must be in 1..${MAX_SEEDS}`);
    const first = integer('first-seed', flags['first-seed'] ?? Date.now() % 1_000_000_000);
    for (let i = 0; i < count; i++) seeds.push(first + i);
  }
  let failed = 0;
  for (const seed of seeds) {
    const result = runKvSeed(options(seed));
    const verdict = result.failure === null ? 'linearizable' : 'FAILED';
    process.stdout.write(`kv seed ${seed}: ${result.history.length} operations (${result.completed} completed, ${result.retries} retries): ${verdict}\n`);
    if (result.failure !== null) {
      failed++;
      process.stdout.write(`${result.failure}\n`);
    }
  }
  if (seeds.length > 1) process.stdout.write(failed === 0 ? `all ${seeds.length} seeds linearizable\n` : `${failed} of ${seeds.length} seeds failed\n`);
  return failed === 0 ? 0 : 1;
}

function replay(options: FuzzOptions, traceRecords: number): number {
  const result = runFuzzSeed({ ...options, traceCapacity: Math.max(0, traceRecords) });
  if (traceRecords > 0) {
    for (const record of result.trace) process.stdout.write(`${formatRecord(record)}\n`);
  }
  process.stdout.write(`${summary(result)}\n`);
  if (result.failure !== null) {
    process.stdout.write(`\nFAILED (${result.failure.kind}) at ${result.failure.atMs.toFixed(3)} ms:\n${result.failure.message}\n`);
    return 1;
  }
  process.stdout.write('all invariants held, and the healed cluster committed a final command on every node\n');
  return 0;
}

function sweep(base: Base, firstSeed: number, count: number): number {
  process.stdout.write(`simulating seeds ${firstSeed}..${firstSeed + count - 1} (${base.nodes} nodes, ${base.seconds} s each, profile ${base.profile}` +
    `${base.bugs !== undefined && base.bugs.length > 0 ? `, bugs ${base.bugs.join(',')}` : ''})\n`);
  const failures: FuzzResult[] = [];
  const progressEvery = Math.max(1, Math.floor(count / 20));
  for (let i = 0; i < count; i++) {
    const result = runFuzzSeed({ ...base, seed: firstSeed + i });
    if (result.failure !== null) {
      failures.push(result);
      process.stdout.write(`seed ${result.seed} FAILED (${result.failure.invariant ?? result.failure.kind}); replay: ${result.replay}\n`);
    }
    if ((i + 1) % progressEvery === 0 || i + 1 === count) {
      process.stdout.write(`  ${i + 1}/${count} seeds, ${failures.length} failed\n`);
    }
  }
  if (failures.length === 0) {
    process.stdout.write(`all ${count} seeds passed\n`);
    return 0;
  }
  const first = failures[0] as FuzzResult;
  process.stdout.write(`\n${failures.length} of ${count} seeds failed; first failing seed ${first.seed}:\n${first.failure?.message ?? ''}\n`);
  return 1;
}

function bench(): number {
  const result = runBench();
  const verdict = result.speedup >= BENCH_TARGET_SPEEDUP ? 'meets' : 'misses';
  process.stdout.write(
    `simulated ${(result.simulatedMs / 1000).toFixed(0)} s of a 5-node cluster (50 ms heartbeats, ${result.proposalsPerSecond} proposals/s, ` +
    `log compacted every ${result.snapshotEvery} entries, invariants checked after every event) in ` +
    `${result.wallMs.toFixed(0)} ms wall / ${result.cpuMs.toFixed(0)} ms CPU:\n` +
    `  ${result.speedup.toFixed(0)}x faster than real time (${result.cpuSpeedup.toFixed(0)}x per CPU second); ` +
    `${verdict} the ${BENCH_TARGET_SPEEDUP}x target\n` +
    `  ${result.steps} events, ${result.messages} messages, ${result.committed} entries committed, snapshot at ${result.snapshotIndex}\n`,
  );
  return 0;
}

function summary(result: FuzzResult): string {
  const stats = result.messages;
  return `seed ${result.seed}: ${(result.simulatedMs / 1000).toFixed(1)} s simulated, ${result.steps} events, ` +
    `${result.proposals} proposals, ${result.reads} reads, ${result.committed} entries committed; ` +
    `${stats.sent} messages (${stats.delivered} delivered, ${stats.dropped} dropped)`;
}

function formatRecord(record: TraceRecord): string {
  const at = `${record.timeMs.toFixed(3).padStart(10)} ms`;
  switch (record.kind) {
    case 'raft-event': return `${at}  S${record.event.node} t${record.event.term} ${record.event.kind}: ${record.event.reason}`;
    case 'send': return `${at}  send #${record.messageId} ${describeMessage(record.message)}${record.copies > 1 ? ' (duplicated)' : ''}`;
    case 'deliver': return `${at}  deliver #${record.messageId} ${describeMessage(record.message)}`;
    case 'drop': return `${at}  drop #${record.messageId} ${describeMessage(record.message)}: ${record.reason}`;
    case 'crash': return `${at}  CRASH S${record.node} (${record.unsyncedWritesLost} unsynced writes lost)`;
    case 'restart': return `${at}  RESTART S${record.node} from disk (term ${record.persistedTerm}, ${record.persistedEntries} entries)`;
    case 'propose': return `${at}  propose ${JSON.stringify(record.command)} at S${record.node}: ${record.index === null ? 'rejected' : `index ${record.index}`}`;
    case 'fault': return `${at}  FAULT ${record.description}`;
  }
}

function describeMessage(message: Message): string {
  const head = `${message.type} S${message.from}->S${message.to} t${message.term}`;
  switch (message.type) {
    case 'AppendEntries': return `${head} prev=${message.prevLogIndex}/${message.prevLogTerm} n=${message.entries.length} commit=${message.leaderCommit}`;
    case 'AppendEntriesReply': return `${head} ${message.success ? `ok match=${message.matchIndex}` : `reject conflict=${message.conflictIndex}/${message.conflictTerm}`}`;
    case 'InstallSnapshot': return `${head} snapshot=${message.lastIncludedIndex}/${message.lastIncludedTerm} offset=${message.offset} n=${message.data.length}${message.done ? ' done' : ''}`;
    case 'InstallSnapshotReply': return `${head} snapshot=${message.lastIncludedIndex} stored=${message.bytesStored}${message.done ? ' done' : ''}`;
    case 'RequestVote': return `${head}${message.preVote ? ' pre' : ''} last=${message.lastLogIndex}/${message.lastLogTerm}`;
    case 'RequestVoteReply': return `${head}${message.preVote ? ' pre' : ''} ${message.voteGranted ? 'granted' : 'denied'}`;
  }
}
