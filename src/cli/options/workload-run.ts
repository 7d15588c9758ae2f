// What `chaos` and `maelstrom` share: N real nodes, C clients on K keys for S seconds under a seeded fault schedule,
// and a history file. One reading of those flags, so that both commands check them alike and say the same errors.
import type { FaultKind } from '../../lab/chaos/fault-schedule';
import { MAX_HEADLESS_NODES } from '../../protocol/lab-api';
import { integerOption, UsageError } from '../args';
import type { CommandSpec } from '../command-spec';

export interface WorkloadRunOptions {
  readonly nodes: number;
  readonly seconds: number;
  readonly clients: number;
  readonly keys: number;
  readonly faults: FaultKind[];
  readonly seed: number;
  readonly history: string;
  readonly dataDir: string | undefined;
}

/** The flags as `parseCommandLine` gives them (each command declares them in its own spec, with its own help). */
export interface WorkloadRunFlags {
  readonly nodes?: number;
  readonly seconds?: number;
  readonly clients?: number;
  readonly keys?: number;
  readonly faults?: string;
  readonly seed?: number;
  readonly history?: string;
  readonly 'data-dir'?: string;
}

export interface WorkloadRunDefaults {
  readonly nodes: number;
  readonly seconds: number;
  readonly clients: number;
  readonly keys: number;
  /** Comma-separated, '' for none. */
  readonly faults: string;
  /** The fault kinds this command can apply. */
  readonly knownFaults: readonly FaultKind[];
}

/**
 * Checks the shared flags in a fixed order (nodes, seconds, clients, keys, seed, faults). `--history` is each command's
 * own check, made where its other required flags are.
 */
export function parseWorkloadRun(command: CommandSpec, flags: WorkloadRunFlags, defaults: WorkloadRunDefaults,
  randomSeed: () => number): Omit<WorkloadRunOptions, 'history'> {
  const nodes = integerOption(command, 'nodes', flags.nodes ?? defaults.nodes, 1, MAX_HEADLESS_NODES);
  const seconds = flags.seconds ?? defaults.seconds;
  if (!(seconds > 0 && seconds <= 3600)) throw new UsageError('--seconds must be in (0, 3600]', command);
  const clients = integerOption(command, 'clients', flags.clients ?? defaults.clients, 1, 64);
  const keys = integerOption(command, 'keys', flags.keys ?? defaults.keys, 1, 1000);
  const seed = integerOption(command, 'seed', flags.seed ?? randomSeed(), 0, 2 ** 31);
  const kinds = (flags.faults ?? defaults.faults).split(',').filter((name) => name !== '');
  const known: readonly string[] = defaults.knownFaults;
  const unknownKinds = kinds.filter((name) => !known.includes(name));
  if (unknownKinds.length > 0) {
    throw new UsageError(`unknown fault kind(s): ${unknownKinds.join(', ')} (known: ${defaults.knownFaults.join(', ')})`, command);
  }
  return { nodes, seconds, clients, keys, faults: kinds as FaultKind[], seed, dataDir: flags['data-dir'] || undefined };
}
