// `raft-lab exercise` and `raft-lab demo` (one file family, docs/exercises.md): their verbs, options and help.
import { noPositionals, parseCommandLine, UsageError } from '../args';
import { COMMON_EXIT_CODES, EXIT_FAILED, EXIT_OK, type CommandSpec } from '../command-spec';

export type FamilyKind = 'exercise' | 'demo';

export function fileFamilyCommands(kind: FamilyKind) {
  const plural = `${kind}s`;
  const list = {
    name: `${kind} list`,
    summary: `list the built-in ${plural} (assets/${plural})`,
    usage: [`${kind} list [--json]`],
    options: { json: { type: 'boolean', description: 'one JSON array instead of a table' } },
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
    usage: [`${kind} run ID|FILE... [--report FILE]`, `${kind} run --all [--report FILE]`],
    arguments: [{ name: 'ID|FILE...', description: `built-in ${kind} ids (see \`raft-lab ${kind} list\`) or ${kind} files` }],
    options: {
      all: { type: 'boolean', description: `every built-in ${kind}` },
      report: { type: 'string', value: 'FILE', description: 'also write {"passed":N,"failed":M} to FILE (for CI)' },
    },
    examples: [kind === 'exercise' ? 'raft-lab exercise run --all --report test-results/exercises.json' : 'raft-lab demo run first-election'],
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
  | { readonly verb: 'list'; readonly json: boolean }
  | { readonly verb: 'check'; readonly files: readonly string[] }
  | { readonly verb: 'run'; readonly all: boolean; readonly names: readonly string[]; readonly report: string | undefined }
  | { readonly verb: 'schema' };

export function parseFamilyOptions(kind: FamilyKind, argv: readonly string[]): FamilyCommandLine {
  const specs = fileFamilyCommands(kind);
  const [verb, ...rest] = argv;
  switch (verb) {
    case 'list': {
      const parsed = parseCommandLine(specs.list, rest);
      if (parsed.help) return { verb: 'help', spec: specs.list };
      noPositionals(specs.list, parsed.positional);
      return { verb: 'list', json: parsed.flags.json === true };
    }
    case 'check': {
      const parsed = parseCommandLine(specs.check, rest);
      if (parsed.help) return { verb: 'help', spec: specs.check };
      if (parsed.positional.length === 0) throw new UsageError('check needs a file', specs.check);
      return { verb: 'check', files: parsed.positional };
    }
    case 'run': {
      const parsed = parseCommandLine(specs.run, rest);
      if (parsed.help) return { verb: 'help', spec: specs.run };
      const all = parsed.flags.all === true;
      if (!all && parsed.positional.length === 0) throw new UsageError('run needs an id, a file, or --all', specs.run);
      return { verb: 'run', all, names: parsed.positional, report: parsed.flags.report };
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
