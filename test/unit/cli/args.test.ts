// The shared argument parser (node:util parseArgs underneath): the forms every command accepts, and clear errors.
import { describe, expect, it } from 'vitest';
import { asksForHelp, parseCommandLine, UsageError } from '../../../src/cli/args';
import type { CommandSpec } from '../../../src/cli/command-spec';

const spec = {
  name: 'demo-command',
  summary: 'a command for the parser tests',
  usage: ['demo-command [--count N] [--name S] [--fast]'],
  options: {
    count: { type: 'number', value: 'N', description: 'a number' },
    name: { type: 'string', value: 'S', description: 'a string' },
    fast: { type: 'boolean', description: 'a switch' },
  },
  examples: ['raft-lab demo-command --count 3'],
  exitCodes: [],
} as const satisfies CommandSpec;

function parse(argv: string[]) {
  const parsed = parseCommandLine(spec, argv);
  if (parsed.help) throw new Error('unexpected help');
  return parsed;
}

describe('parseCommandLine', () => {
  it('reads --name value, --name=value, booleans and positionals', () => {
    expect(parse(['--count', '3', '--name=x y', 'file.txt', '--fast'])).toEqual({ help: false, flags: { count: 3, name: 'x y', fast: true }, positional: ['file.txt'] });
  });

  it('takes the next argument as a value even when it starts with a dash, as before', () => {
    expect(parse(['--name', '-odd']).flags).toEqual({ name: '-odd' });
    expect(parse(['--count', '-2']).flags).toEqual({ count: -2 });
  });

  it('accepts --flag=false and --flag=true for booleans; a boolean never swallows the next argument', () => {
    expect(parse(['--fast=false']).flags).toEqual({ fast: false });
    expect(parse(['--fast=true']).flags).toEqual({ fast: true });
    expect(parse(['--fast', 'file']).positional).toEqual(['file']);
  });

  it('the last of a repeated option wins; after -- everything is positional', () => {
    expect(parse(['--count', '1', '--count', '2']).flags).toEqual({ count: 2 });
    expect(parse(['--', '--count', '1']).positional).toEqual(['--count', '1']);
  });

  it('refuses unknown options, short options, missing values and non-numbers with a usage error naming the option', () => {
    const cases: [string[], string][] = [
      [['--colour', 'red'], 'unknown option --colour'],
      [['-c', '3'], 'unknown option -c'],
      [['--count'], '--count needs a value'],
      [['--count', 'many'], '--count must be a number, got "many"'],
      [['--count='], '--count must be a number, got ""'],
      [['--count', 'Infinity'], '--count must be a number, got "Infinity"'],
      [['--toString', '1'], 'unknown option --toString'],
    ];
    for (const [argv, message] of cases) {
      let caught: unknown;
      try {
        parseCommandLine(spec, argv);
      } catch (error) {
        caught = error;
      }
      expect(caught, argv.join(' ')).toBeInstanceOf(UsageError);
      expect((caught as UsageError).message, argv.join(' ')).toBe(message);
      expect((caught as UsageError).command, argv.join(' ')).toBe(spec);
    }
  });

  it('--help or -h anywhere asks for help, even beside mistakes; not after --', () => {
    expect(parseCommandLine(spec, ['--count', 'many', '--help'])).toEqual({ help: true });
    expect(parseCommandLine(spec, ['-h'])).toEqual({ help: true });
    expect(asksForHelp(['--', '--help'])).toBe(false);
    expect(asksForHelp(['--name', 'x'])).toBe(false);
  });
});
