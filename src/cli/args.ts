// Parsing a command's arguments with node:util's parseArgs (which splits `--name value`, `--name=value`, `-h` and
// `--`), then checking every option against the command's table ourselves, so that messages stay short and a typo
// never silently runs something else: unknown options are errors, numbers must be numbers.
import { parseArgs } from 'node:util';
import type { CommandSpec, OptionSpecs } from './command-spec';

/** A mistake on the command line: `raft-lab` prints it with the command's usage and exits 2. */
export class UsageError extends Error {
  /** The (sub)command whose usage the message refers to, when the thrower knows it. */
  readonly command: CommandSpec | undefined;

  constructor(message: string, command?: CommandSpec) {
    super(message);
    this.name = 'UsageError';
    this.command = command;
  }
}

export type ParsedOptions<S extends OptionSpecs> = {
  [K in keyof S]?: S[K]['type'] extends 'number' ? number : S[K]['type'] extends 'boolean' ? boolean : string;
};

export type ParsedCommandLine<S extends OptionSpecs> =
  | { readonly help: true }
  | { readonly help: false; readonly flags: ParsedOptions<S>; readonly positional: string[] };

const HELP_FLAGS: ReadonlySet<string> = new Set(['--help', '-h']);

/** True when the arguments ask for help (`--help` or `-h` anywhere before a `--`). */
export function asksForHelp(argv: readonly string[]): boolean {
  for (const arg of argv) {
    if (arg === '--') return false;
    if (HELP_FLAGS.has(arg)) return true;
  }
  return false;
}

/**
 * `--help`/`-h` win over everything else. A string or number option takes the next argument as its value even when
 * it starts with a dash (as the parser before parseArgs did); a boolean option takes no value, except the explicit
 * `--flag=false` / `--flag=true`.
 */
export function parseCommandLine<S extends OptionSpecs>(spec: CommandSpec<S>, argv: readonly string[]): ParsedCommandLine<S> {
  if (asksForHelp(argv)) return { help: true };
  const { tokens } = parseArgs({ args: [...argv], options: parserOptions(spec.options), strict: false, allowPositionals: true, tokens: true });
  const flags: Record<string, string | number | boolean> = {};
  const positional: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') positional.push(token.value);
    if (token.kind !== 'option') continue;
    const option = Object.hasOwn(spec.options, token.name) ? spec.options[token.name] : undefined;
    if (!option || token.rawName.length === 2) throw new UsageError(`unknown option ${token.rawName}`, spec);
    if (option.type === 'boolean') {
      flags[token.name] = token.value === undefined ? true : token.value !== 'false';
      continue;
    }
    if (token.value === undefined) throw new UsageError(`${token.rawName} needs a value`, spec);
    if (option.type === 'number') {
      const parsed = Number(token.value);
      if (token.value.trim() === '' || !Number.isFinite(parsed)) throw new UsageError(`${token.rawName} must be a number, got "${token.value}"`, spec);
      flags[token.name] = parsed;
    } else {
      flags[token.name] = token.value;
    }
  }
  return { help: false, flags: flags as ParsedOptions<S>, positional };
}

/** Refuses positional arguments for commands that take none. */
export function noPositionals(spec: CommandSpec, positional: readonly string[]): void {
  if (positional.length > 0) throw new UsageError(`unexpected argument: ${positional[0]}`, spec);
}

/** Checks that an option's value is an integer in [min, max]. */
export function integerOption(spec: CommandSpec, name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new UsageError(`--${name} must be an integer in [${min}, ${max}]`, spec);
  return value;
}

/**
 * --bin and the repeatable --arg (a student's own executable and its arguments), taken before the other options: an
 * --arg's value may be a flag of the student's program, which parseArgs would read as one of ours.
 */
export function takeBinAndArgs(spec: CommandSpec, argv: readonly string[]): { bin: string | undefined; args: string[]; rest: string[] } {
  let bin: string | undefined;
  const args: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    const [name, inline] = arg.split(/=(.*)/s, 2) as [string, string | undefined];
    if (name !== '--bin' && name !== '--arg') {
      rest.push(arg);
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new UsageError(`${name} needs a value`, spec);
    if (name === '--bin') {
      if (bin !== undefined) throw new UsageError('--bin given twice', spec);
      bin = value;
    } else {
      args.push(value);
    }
  }
  return { bin, args, rest };
}

/** Numbers are read as strings and converted above; without strict mode, `--flag=false` reaches us as a value. */
function parserOptions(options: OptionSpecs): Record<string, { type: 'string' | 'boolean' }> {
  return Object.fromEntries(Object.entries(options).map(([name, option]) => [name, { type: option.type === 'boolean' ? 'boolean' : 'string' }]));
}
