// `raft-lab sim`: the deterministic simulator from the command line (options and their checks: options/sim.ts).
import { runBench } from '../sim/drivers/bench';
import { runFuzzSeed, type FuzzOptions, type FuzzResult } from '../sim/drivers/fuzz';
import { runKvSeed, type KvRunOptions } from '../sim/drivers/kv-run';
import type { Message } from '../raft/types';
import type { TraceRecord } from '../sim/engine/trace';
import { formatCommandHelp } from './command-spec';
import { parseSimOptions, simCommand } from './options/sim';

const BENCH_TARGET_SPEEDUP = 1000;

export async function runSimCommand(argv: string[]): Promise<number> {
  const run = parseSimOptions(argv);
  if (run === 'help') {
    process.stdout.write(formatCommandHelp(simCommand));
    return 0;
  }
  switch (run.kind) {
    case 'bench': return bench();
    case 'kv': return kv(run.seeds, run.options);
    case 'replay': return replay(run.options, run.traceRecords);
    case 'sweep': return sweep(run.base, run.firstSeed, run.count);
  }
}

type Base = Omit<FuzzOptions, 'seed'>;

function kv(seeds: readonly number[], options: (seed: number) => KvRunOptions): number {
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
    case 'RequestVote': return `${head}${message.preVote ? ' pre' : ''}${message.leadershipTransfer === true ? ' transfer' : ''} last=${message.lastLogIndex}/${message.lastLogTerm}`;
    case 'RequestVoteReply': return `${head}${message.preVote ? ' pre' : ''} ${message.voteGranted ? 'granted' : 'denied'}`;
    case 'TimeoutNow': return head;
  }
}
