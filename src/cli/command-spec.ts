// What a command (or a verb of one, like `exercise run`) accepts, as data: its usage lines, options, examples and
// exit codes. The parser checks arguments against it and `--help` prints it, so the two cannot drift apart.

export interface OptionSpec {
  readonly type: 'string' | 'number' | 'boolean';
  /** Placeholder for the value in help (`N`, `FILE`); none for booleans. */
  readonly value?: string;
  readonly description: string;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

export interface ExitCode {
  readonly code: number;
  readonly meaning: string;
}

export interface CommandSpec<S extends OptionSpecs = OptionSpecs> {
  /** As typed after `raft-lab`: `chaos`, `exercise run`. */
  readonly name: string;
  /** One line for `raft-lab --help`'s list. */
  readonly summary: string;
  /** Each line follows `usage: raft-lab `. */
  readonly usage: readonly string[];
  /** A paragraph for the command's own help. */
  readonly description?: string;
  readonly arguments?: readonly { readonly name: string; readonly description: string }[];
  readonly options: S;
  /** Verbs (`exercise list`, ...) for commands made of several. */
  readonly verbs?: readonly CommandSpec[];
  readonly examples: readonly string[];
  readonly exitCodes: readonly ExitCode[];
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** Every command: a usage error is exit 2, and a signal stops the cluster first. */
export const COMMON_EXIT_CODES: readonly ExitCode[] = [
  { code: EXIT_USAGE, meaning: 'usage error: an unknown option, a bad value, or an unreadable or invalid input file' },
];

export const SIGNAL_EXIT_CODES: readonly ExitCode[] = [
  { code: 130, meaning: 'interrupted (Ctrl-C): the node processes were stopped first' },
  { code: 143, meaning: 'terminated (SIGTERM or SIGHUP): the node processes were stopped first' },
];

/** `raft-lab <command> --help`: usage, description, arguments, every option, examples and exit codes. */
export function formatCommandHelp(spec: CommandSpec): string {
  const lines: string[] = [usageLines(spec)];
  if (spec.description) lines.push('', ...wrap(spec.description, 100));
  if (spec.verbs && spec.verbs.length > 0) {
    lines.push('', 'commands:', ...table(spec.verbs.map((verb) => [verb.name.slice(spec.name.length + 1), verb.summary])));
    lines.push('', `Run 'raft-lab ${spec.name} <command> --help' for a command's options.`);
  }
  if (spec.arguments && spec.arguments.length > 0) {
    lines.push('', 'arguments:', ...table(spec.arguments.map((argument) => [argument.name, argument.description])));
  }
  const options = Object.entries(spec.options).map(([name, option]): [string, string] =>
    [`--${name}${option.value ? ` ${option.value}` : ''}`, option.description]);
  options.push(['-h, --help', 'show this help']);
  lines.push('', 'options:', ...table(options));
  if (spec.examples.length > 0) lines.push('', `example${spec.examples.length > 1 ? 's' : ''}:`, ...spec.examples.map((example) => `  ${example}`));
  lines.push('', 'exit codes:', ...table(spec.exitCodes.map((exit) => [String(exit.code), exit.meaning])));
  return `${lines.join('\n')}\n`;
}

export function usageLines(spec: CommandSpec): string {
  return spec.usage.map((line, i) => `${i === 0 ? 'usage:' : '      '} raft-lab ${line}`).join('\n');
}

/** Two columns: names padded to the longest (capped, so one long name does not push every description right). */
export function table(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.min(28, Math.max(0, ...rows.map(([name]) => name.length)));
  return rows.map(([name, text]) => (name.length > width ? `  ${name}\n  ${' '.repeat(width)}  ${text}` : `  ${name.padEnd(width)}  ${text}`));
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((part) => part !== '')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}
