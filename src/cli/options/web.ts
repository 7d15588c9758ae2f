// `raft-lab web`: its options, their checks and its help.
import { MAX_UI_NODES } from '../../protocol/lab-api';
import type { BugName } from '../../raft/types';
import { integerOption, noPositionals, parseCommandLine } from '../args';
import { bugsFlag } from '../bugs-flag';
import { COMMON_EXIT_CODES, SIGNAL_EXIT_CODES, type CommandSpec } from '../command-spec';

export const webCommand = {
  name: 'web',
  summary: 'serve the lab UI on http://127.0.0.1 (web mode) with a running cluster',
  usage: ['web [--port P] [--nodes N] [--record FILE] [--bugs a,b] [--open]'],
  description: 'Starts the lab, serves its UI on 127.0.0.1 and starts a cluster. The printed URL carries a per-run token ' +
    'that the page needs; serves until Ctrl-C, which stops every node process.',
  options: {
    port: { type: 'number', value: 'P', description: 'TCP port on 127.0.0.1 (default 0: any free port)' },
    nodes: { type: 'number', value: 'N', description: `servers in the first cluster, 1..${MAX_UI_NODES} (default 3)` },
    record: { type: 'string', value: 'FILE', description: 'write every event to FILE as NDJSON' },
    bugs: { type: 'string', value: 'a,b', description: 'planted bugs switched on in every node (see docs/planted-bugs.md)' },
    open: { type: 'boolean', description: 'also open the URL in the default browser when a desktop session is present' },
  },
  examples: ['raft-lab web --port 8080 --nodes 5'],
  exitCodes: [...COMMON_EXIT_CODES, ...SIGNAL_EXIT_CODES],
} as const satisfies CommandSpec;

export interface WebOptions {
  readonly port: number;
  readonly nodes: number;
  readonly record: string | undefined;
  readonly bugs: BugName[];
  readonly open: boolean;
}

export function parseWebOptions(argv: readonly string[]): WebOptions | 'help' {
  const parsed = parseCommandLine(webCommand, argv);
  if (parsed.help) return 'help';
  const { flags, positional } = parsed;
  noPositionals(webCommand, positional);
  return {
    port: integerOption(webCommand, 'port', flags.port ?? 0, 0, 65535),
    nodes: integerOption(webCommand, 'nodes', flags.nodes ?? 3, 1, MAX_UI_NODES),
    record: flags.record,
    bugs: bugsFlag(flags.bugs, webCommand),
    open: flags.open ?? false,
  };
}
