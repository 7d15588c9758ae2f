// `raft-lab --help`, `raft-lab <command> --help` and `raft-lab --version`: every command and verb documents its usage,
// every option it accepts, an example and its exit codes, and the top level lists every command.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseCommandLine } from '../../../src/cli/args';
import { formatCommandHelp, type CommandSpec } from '../../../src/cli/command-spec';
import { COMMANDS } from '../../../src/cli/commands';
import { runCli } from '../../../src/cli/run-cli';

const PACKAGE_VERSION = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

function everySpec(): CommandSpec[] {
  return COMMANDS.flatMap((command) => [command.spec, ...(command.spec.verbs ?? [])]);
}

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const write = (chunk: string | Uint8Array): boolean => {
    stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(write);
  const code = await runCli(argv, { stdout: (text) => { stdout += text; }, stderr: (text) => { stderr += text; } });
  vi.restoreAllMocks();
  return { code, stdout, stderr };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('raft-lab <command> --help', () => {
  it('names the usage, every option, an example and the exit codes of each command and verb', () => {
    const names = everySpec().map((spec) => spec.name);
    expect(names).toEqual(expect.arrayContaining(['web', 'chaos', 'maelstrom', 'check', 'sim', 'bench', 'failover', 'experiment', 'experiment fig16',
      'experiment clients', 'exercise', 'exercise list', 'exercise check', 'exercise run', 'exercise schema', 'demo', 'demo run']));
    for (const spec of everySpec()) {
      const help = formatCommandHelp(spec);
      expect(help, spec.name).toMatch(new RegExp(`^usage: raft-lab ${spec.name}( |\\n|$)`));
      for (const option of Object.keys(spec.options)) expect(help, `${spec.name} --${option}`).toContain(`--${option}`);
      expect(help, spec.name).toContain('-h, --help');
      expect(help, spec.name).toMatch(/\nexamples?:\n {2}raft-lab /);
      expect(spec.examples.every((example) => example.startsWith(`raft-lab ${spec.name.split(' ')[0] ?? ''}`)), spec.name).toBe(true);
      expect(help, spec.name).toMatch(/\nexit codes:\n {2}\d+ /);
      expect(help, spec.name).toContain('  2  ');
      expect(help.endsWith('\n'), spec.name).toBe(true);
      expect(help.endsWith('\n\n'), spec.name).toBe(false);
    }
  });

  it('every example parses with the command\'s own options', () => {
    for (const spec of everySpec().filter((candidate) => !candidate.verbs)) {
      for (const example of spec.examples) {
        const argv = example.split(' ').slice(1 + spec.name.split(' ').length);
        expect(() => parseCommandLine(spec, argv), example).not.toThrow();
      }
    }
  });

  it('a command made of verbs lists them', () => {
    const help = formatCommandHelp(COMMANDS.find((command) => command.spec.name === 'exercise')?.spec as CommandSpec);
    for (const verb of ['list', 'check', 'run', 'schema']) expect(help).toMatch(new RegExp(`\\n {2}${verb} +\\S`));
  });

  it('prints through raft-lab for each command, verb and `help <command>`, exit 0, nothing on stderr', async () => {
    for (const argv of [['web', '--help'], ['chaos', '-h'], ['sim', '--help'], ['bench', '--help'], ['failover', '--help'],
      ['experiment', '--help'], ['experiment', 'fig16', '--help'], ['exercise', 'run', '--help'], ['demo', '--help'], ['help', 'chaos'],
      ['help', 'exercise', 'check']]) {
      const result = await run(argv);
      expect(result.code, argv.join(' ')).toBe(0);
      expect(result.stderr, argv.join(' ')).toBe('');
      const expectedName = argv[0] === 'help' ? argv.slice(1).join(' ') : argv.filter((word) => !word.startsWith('-')).join(' ');
      expect(result.stdout, argv.join(' ')).toMatch(new RegExp(`^usage: raft-lab ${expectedName}`));
    }
  });
});

describe('raft-lab --help, --version and mistakes', () => {
  it('--help lists every command with its summary and the exit codes', async () => {
    for (const argv of [['--help'], ['-h'], ['help']]) {
      const { code, stdout, stderr } = await run(argv);
      expect(code).toBe(0);
      expect(stderr).toBe('');
      expect(stdout).toMatch(/^usage: raft-lab <command> \[options\]/);
      for (const command of COMMANDS) expect(stdout).toMatch(new RegExp(`\\n {2}${command.spec.name} +${command.spec.summary.slice(0, 20).replace(/[()[\]]/g, '\\$&')}`));
      expect(stdout).toContain('--version');
      for (const code of ['0', '1', '2', '3', '130', '143']) expect(stdout).toMatch(new RegExp(`\\n {2}${code} +\\S`));
    }
  });

  it('--version prints the version from package.json', async () => {
    for (const argv of [['--version'], ['-v']]) {
      expect(await run(argv)).toEqual({ code: 0, stdout: `raft-lab ${PACKAGE_VERSION}\n`, stderr: '' });
    }
  });

  it('no command, an unknown command or option: exit 2, a message ending in a newline on stderr', async () => {
    for (const argv of [[], ['frobnicate'], ['--frobnicate']]) {
      const { code, stdout, stderr } = await run(argv);
      expect(code, argv.join(' ')).toBe(2);
      expect(stdout, argv.join(' ')).toBe('');
      expect(stderr, argv.join(' ')).toMatch(/^raft-lab: .+\nusage: raft-lab <command> \[options\]\n[^]*\n$/);
    }
  });

  it('a usage error names the command, its usage and where to read more, and exits 2 without running anything', async () => {
    const cases: [string[], RegExp][] = [
      [['chaos', '--nodes', '3'], /^raft-lab chaos: --history FILE is required\nusage: raft-lab chaos --history FILE/],
      [['bench', '--clientz', '4'], /^raft-lab bench: unknown option --clientz\nusage: raft-lab bench /],
      [['web', '--port', '70000'], /^raft-lab web: --port must be an integer in \[0, 65535\]\nusage: raft-lab web /],
      [['experiment', 'fig16', '--trials', '3'], /^raft-lab experiment: --out DIR is required\nusage: raft-lab experiment fig16 /],
      [['exercise', 'run'], /^raft-lab exercise: run needs an id, a file, or --all\nusage: raft-lab exercise run /],
      [['demo', 'dance'], /^raft-lab demo: unknown demo command "dance"\nusage: raft-lab demo /],
      [['sim', '--seeds', '0'], /^raft-lab sim: --seeds must be in 1\.\.1000000\nusage: raft-lab sim /],
      [['failover', 'now'], /^raft-lab failover: unexpected argument: now\nusage: raft-lab failover /],
    ];
    for (const [argv, pattern] of cases) {
      const { code, stderr } = await run(argv);
      expect(code, argv.join(' ')).toBe(2);
      expect(stderr, argv.join(' ')).toMatch(pattern);
      expect(stderr, argv.join(' ')).toMatch(/\nRun 'raft-lab [a-z0-9 ]+ --help' for every option\.\n$/);
    }
  });
});
