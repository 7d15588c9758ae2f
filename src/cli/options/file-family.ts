// `raft-lab exercise` and `raft-lab demo` (one file family, docs/exercises.md): their verbs, options and help.
import { noPositionals, parseCommandLine, takeBinAndArgs, UsageError } from '../args';
import { COMMON_EXIT_CODES, EXIT_FAILED, EXIT_OK, type CommandSpec, type OptionSpecs } from '../command-spec';
import type { Implementation } from '../../protocol/lab-api';

export type FamilyKind = 'exercise' | 'demo';

/**
 * `exercise run` on a student's own Raft (docs/byo-raft.md): only exercises whose goals it can reach. --bin and --arg
 * are taken apart before the other options (takeBinAndArgs); they are listed here for --help.
 */
const OWN_RAFT_OPTIONS = {
  bin: { type: 'string', value: 'PATH', description: 'run on your own Raft: this executable speaking Maelstrom\'s protocol (docs/byo-raft.md), behind relay nodes' },
  arg: { type: 'string', value: 'A', description: 'an argument for --bin; repeat for several, in order (values may start with --); one naming a file or folder here is passed as its absolute path' },
  example: { type: 'boolean', description: 'run on the example Raft (assets/byo/example-raft.mjs) behind relay nodes' },
} as const satisfies OptionSpecs;

export function fileFamilyCommands(kind: FamilyKind) {
  const plural = `${kind}s`;
  const list = {
    name: `${kind} list`,
    summary: `list the built-in ${plural} (assets/${plural})`,
    usage: kind === 'exercise' ? [`${kind} list [--json] [--own-raft]`] : [`${kind} list [--json]`],
    options: {
      json: { type: 'boolean', description: 'one JSON array instead of a table' },
      ...(kind === 'exercise' ? { 'own-raft': { type: 'boolean', description: 'whether each exercise runs on a student\'s own Raft (docs/byo-raft.md), and why not' } } as const : {}),
    },
    examples: [`raft-lab ${kind} list --json`],
    exitCodes: [{ code: EXIT_OK, meaning: 'listed' }, ...COMMON_EXIT_CODES],
  } as const satisfies CommandSpec;
  const check = {
    name: `${kind} check`,
    summary: `validate ${kind} files (YAML) against the schema`,
    usage: [`${kind} check FILE...`],
    arguments: [{ name: 'FILE...', description: `one or more ${kind} files` }],
    options: {},
    examples: [`raft-lab ${kind} check assets/${plural}/*.yaml`],
    exitCodes: [{ code: EXIT_OK, meaning: 'every file is valid' },
      { code: 2, meaning: 'a file is invalid (file:line:column: field: message on stderr), or a usage error' }],
  } as const satisfies CommandSpec;
  const run = {
    name: `${kind} run`,
    summary: kind === 'exercise'
      ? 'play each exercise\'s solutions on a real cluster and check every goal'
      : 'play each demo step by step on a paused real cluster and check every until:',
    usage: kind === 'exercise'
      ? [`${kind} run ID|FILE... [--report FILE] [--bin PATH [--arg A]... | --example]`,
        `${kind} run --all [--report FILE] [--bin PATH [--arg A]... | --example]`]
      : [`${kind} run ID|FILE... [--report FILE]`, `${kind} run --all [--report FILE]`],
    arguments: [{ name: 'ID|FILE...', description: `built-in ${kind} ids (see \`raft-lab ${kind} list\`) or ${kind} files` }],
    ...(kind === 'exercise' ? {
      description: 'With --bin or --example, each exercise runs on that Raft instead of the lab\'s own, if its goals need ' +
        'only what the lab sees of such nodes (messages, client results, statuses; roles and terms if they send ' +
        'raft_lab_state); the others are skipped with the reason, and `exercise list --own-raft` says which are which.',
    } : {}),
    options: {
      all: { type: 'boolean', description: `every built-in ${kind}` },
      report: { type: 'string', value: 'FILE', description: 'also write {"passed":N,"failed":M} to FILE (for CI)' },
      ...(kind === 'exercise' ? OWN_RAFT_OPTIONS : {}),
    },
    examples: kind === 'exercise'
      ? ['raft-lab exercise run --all --report test-results/exercises.json', 'raft-lab exercise run from-outside --bin python3 --arg my_raft.py']
      : ['raft-lab demo run first-election'],
    exitCodes: [{ code: EXIT_OK, meaning: `every ${kind} passed` },
      { code: EXIT_FAILED, meaning: 'one failed: the step, its goal and the last relevant events are printed' }, ...COMMON_EXIT_CODES],
  } as const satisfies CommandSpec;
  const schema = {
    name: `${kind} schema`,
    summary: `print the JSON Schema of ${kind} files, for editors`,
    usage: [`${kind} schema`],
    options: {},
    examples: [`raft-lab ${kind} schema`],
    exitCodes: [{ code: EXIT_OK, meaning: 'printed' }, ...COMMON_EXIT_CODES],
  } as const satisfies CommandSpec;
  const command = {
    name: kind,
    summary: kind === 'exercise'
      ? 'guided exercises: list, validate, play on a real cluster and check every goal'
      : 'classroom demos: list, validate, play step by step and check every until:',
    usage: [`${kind} list [--json] | check FILE... | run ID|FILE...|--all [--report FILE] | schema`],
    options: {},
    verbs: [list, check, run, schema],
    examples: [...list.examples, ...run.examples],
    exitCodes: [{ code: EXIT_OK, meaning: 'success' }, { code: EXIT_FAILED, meaning: `a ${kind} failed when run` },
      ...COMMON_EXIT_CODES],
  } as const satisfies CommandSpec;
  return { command, list, check, run, schema };
}

export type FamilyCommandLine =
  | { readonly verb: 'help'; readonly spec: CommandSpec }
  | { readonly verb: 'list'; readonly json: boolean; readonly ownRaft?: true }
  | { readonly verb: 'check'; readonly files: readonly string[] }
  | { readonly verb: 'run'; readonly all: boolean; readonly names: readonly string[]; readonly report: string | undefined;
      /** Absent: the lab's own Raft (or each file's). */
      readonly implementation: Implementation | undefined }
  | { readonly verb: 'schema' };

function implementationOf(spec: CommandSpec, bin: string | undefined, args: readonly string[], example: boolean): Implementation | undefined {
  if (bin === '') throw new UsageError('--bin needs a path', spec);
  if (bin !== undefined && example) throw new UsageError('--bin and --example both name the Raft to run: give one', spec);
  if (bin === undefined && args.length > 0) throw new UsageError('--arg is an argument for --bin, which is missing', spec);
  if (bin !== undefined && !spec.options['bin']) throw new UsageError('unknown option --bin', spec);
  if (example) return { kind: 'example' };
  return bin === undefined ? undefined : { kind: 'executable', bin, args: [...args] };
}

export function parseFamilyOptions(kind: FamilyKind, argv: readonly string[]): FamilyCommandLine {
  const specs = fileFamilyCommands(kind);
  const [verb, ...rest] = argv;
  switch (verb) {
    case 'list': {
      const parsed = parseCommandLine(specs.list, rest);
      if (parsed.help) return { verb: 'help', spec: specs.list };
      noPositionals(specs.list, parsed.positional);
      const ownRaft = (parsed.flags as { 'own-raft'?: boolean })['own-raft'] === true;
      return { verb: 'list', json: parsed.flags.json === true, ...(ownRaft ? { ownRaft } : {}) };
    }
    case 'check': {
      const parsed = parseCommandLine(specs.check, rest);
      if (parsed.help) return { verb: 'help', spec: specs.check };
      if (parsed.positional.length === 0) throw new UsageError('check needs a file', specs.check);
      return { verb: 'check', files: parsed.positional };
    }
    case 'run': {
      const own = takeBinAndArgs(specs.run, rest);
      const parsed = parseCommandLine(specs.run, own.rest);
      if (parsed.help) return { verb: 'help', spec: specs.run };
      const all = parsed.flags.all === true;
      if (!all && parsed.positional.length === 0) throw new UsageError('run needs an id, a file, or --all', specs.run);
      const example = (parsed.flags as { example?: boolean }).example === true;
      return { verb: 'run', all, names: parsed.positional, report: parsed.flags.report,
        implementation: implementationOf(specs.run, own.bin, own.args, example) };
    }
    case 'schema': {
      const parsed = parseCommandLine(specs.schema, rest);
      if (parsed.help) return { verb: 'help', spec: specs.schema };
      noPositionals(specs.schema, parsed.positional);
      return { verb: 'schema' };
    }
    case '--help': case '-h': case 'help':
      return { verb: 'help', spec: specs.command };
    default:
      throw new UsageError(verb === undefined ? `which ${kind} command? list, check, run or schema` : `unknown ${kind} command "${verb}"`, specs.command);
  }
}
