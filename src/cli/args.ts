// A small, strict flag parser: `--name value`, `--name=value` and boolean `--flag`. Unknown flags are errors, so a
// typo never silently runs something else.
export class UsageError extends Error {}

export interface FlagSpec {
  readonly [name: string]: 'string' | 'number' | 'boolean';
}

export type ParsedFlags<S extends FlagSpec> = {
  [K in keyof S]?: S[K] extends 'number' ? number : S[K] extends 'boolean' ? boolean : string;
};

export function parseFlags<S extends FlagSpec>(argv: readonly string[], spec: S): { flags: ParsedFlags<S>; positional: string[] } {
  const flags: Record<string, string | number | boolean> = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [rawName, inlineValue] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    const kind = spec[rawName];
    if (!kind) throw new UsageError(`unknown option --${rawName}`);
    if (kind === 'boolean') {
      flags[rawName] = inlineValue === undefined ? true : inlineValue !== 'false';
      continue;
    }
    const value = inlineValue ?? argv[++i];
    if (value === undefined) throw new UsageError(`--${rawName} needs a value`);
    if (kind === 'number') {
      const parsed = Number(value);
      if (!Number.isFinite(parsed)) throw new UsageError(`--${rawName} must be a number, got "${value}"`);
      flags[rawName] = parsed;
    } else {
      flags[rawName] = value;
    }
  }
  return { flags: flags as ParsedFlags<S>, positional };
}
