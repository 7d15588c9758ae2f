// Test support: holds a hand-written check to the zod schema it stands in for. Each input goes through both; they
// must accept and reject the same inputs and, when they accept, return equal values. Inputs are generated valid
// values, mutations of them (a field replaced by an odd value, deleted, or joined by an extra key) and garbage,
// all from one seed, which every failure message names (replay with TEST_SEED=<seed>).
import { expect } from 'vitest';
import { seededRandom } from '../../../src/raft/random';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Random = () => number;

export type Outcome = { ok: true; value: unknown } | { ok: false; error: string };

/** The seed of one randomized test: TEST_SEED when set, otherwise a fresh one. */
export function agreementSeed(): number {
  const fromEnv = process.env['TEST_SEED'];
  return fromEnv !== undefined && fromEnv !== '' ? Number(fromEnv) >>> 0 : Math.floor(Math.random() * 2 ** 31);
}

export function pick<T>(random: Random, options: readonly T[]): T {
  return options[Math.floor(random() * options.length)] as T;
}

export function intIn(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** Values at and around the bounds the boundaries use: ids, counts, probabilities, lengths, names. */
export const ODD_VALUES: readonly Json[] = [
  -1, 0, 1, 1.5, 2, 5, 9, 10, 16, 25, 26, 64, 100, 101, 1000, 1001, 5000, 5001, 30_000, 30_001, 60_000, 60_001, 1_000_000,
  1_000_001, 2 ** 53, 2 ** 53 - 1, -0, 0.5, 1e308, -1e-9, '', 'x', '0', '1', '2', '02', '2.0', '12', '123', '-1', '1e1',
  '-0', '1.0', '0x10', ' 7 ', '26', '1000000', '1000001', '99999999999',
  'x'.repeat(15), 'x'.repeat(16), 'x'.repeat(64), 'x'.repeat(65), 'x'.repeat(128), 'x'.repeat(129), 'x'.repeat(257),
  'x'.repeat(1025), '😀'.repeat(40), '😀'.repeat(65), '😀'.repeat(8), '😀'.repeat(7) + 'x', '\ud800'.repeat(20),
  null, true, false, [], {}, [1], [1, 2], [2, 1], [1, 2, 3], [10, 10], [0, 0], { a: 1 }, 'tcp://127.0.0.1:5001',
  'tcp://127.0.0.1:123456', 'tcp://localhost:5001', 'put', 'get', 'register', 'cas', 'delete', 'ok', 'full', 'quiet',
  'timer', 'deliver', 'add', 'remove', 'joint', 'commit-previous-term', 'no-such-bug', 'AppendEntries', 'configure', 'step',
  'shutdown', 'faults', 'clock', 'InstallSnapshot', '#1', 'session-expired', 'stale', 'cas-mismatch',
];

/** One of ODD_VALUES, as a copy of its own (mutations change values in place). */
function oddValue(random: Random): Json {
  return JSON.parse(JSON.stringify(pick(random, ODD_VALUES))) as Json;
}

/** Every path to a value inside `value` (objects and arrays), so mutations can reach nested fields. */
export function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(value)) value.forEach((item, index) => out.push(...paths(item, [...prefix, index])));
  else if (typeof value === 'object' && value !== null) for (const [key, item] of Object.entries(value)) out.push(...paths(item, [...prefix, key]));
  return out;
}

/** A copy of `value` with one to three changes at random paths: replaced, deleted, or given an extra key. */
export function mutate(value: Json, random: Random): Json {
  let copy = JSON.parse(JSON.stringify(value)) as Json;
  const changes = intIn(random, 1, 3);
  for (let change = 0; change < changes; change += 1) {
    const all = paths(copy);
    const path = pick(random, all);
    const odd = oddValue(random);
    if (path.length === 0) {
      if (random() < 0.2) copy = odd;
      continue;
    }
    let parent: Json = copy;
    for (const step of path.slice(0, -1)) parent = (parent as Record<string | number, Json>)[step] as Json;
    const last = path[path.length - 1] as string | number;
    const container = parent as Record<string | number, Json>;
    const action = random();
    if (action < 0.6) container[last] = odd;
    else if (action < 0.75 && !Array.isArray(parent)) delete container[last];
    else if (action < 0.8 && Array.isArray(parent)) (parent as Json[]).push(odd);
    else if (typeof container[last] === 'object' && container[last] !== null && !Array.isArray(container[last])) {
      const target = container[last] as Record<string, Json>;
      // defineProperty: a plain assignment to '__proto__' would set the prototype, not add the own key a parsed frame has.
      Object.defineProperty(target, pick(random, ['smuggled', '__proto__', '7', '07', '2.0', 'constructor']),
        { value: random() < 0.5 ? odd : JSON.parse(JSON.stringify(target)) as Json, enumerable: true, writable: true, configurable: true });
    } else container[last] = odd;
  }
  return copy;
}

/** A random JSON value, nested up to `depth`. */
export function garbage(random: Random, depth = 3): Json {
  const kind = random();
  if (depth === 0 || kind < 0.5) return oddValue(random);
  if (kind < 0.75) return Array.from({ length: intIn(random, 0, 3) }, () => garbage(random, depth - 1));
  const object: Record<string, Json> = {};
  for (let i = intIn(random, 0, 4); i > 0; i -= 1) object[pick(random, ['v', 'type', 'secret', 'msg', 'x', '1'])] = garbage(random, depth - 1);
  return object;
}

/** As a decoder sees a value: through JSON text (own `__proto__` keys stay own keys). */
export function asDecoded(value: Json): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

/**
 * Runs `rounds` inputs (a third valid, a third mutated, a third garbage) through both parsers and expects the same
 * answers. Returns how many inputs each accepted, so a test can check that both kinds of answer were exercised.
 */
export function expectAgreement(options: {
  name: string;
  seed: number;
  rounds: number;
  valid: (random: Random) => Json;
  bySchema: (value: unknown) => Outcome;
  byCheck: (value: unknown) => Outcome;
}): { accepted: number; rejected: number } {
  const random = seededRandom(options.seed);
  let accepted = 0;
  for (let round = 0; round < options.rounds; round += 1) {
    const kind = round % 3;
    const input = asDecoded(kind === 0 ? options.valid(random) : kind === 1 ? mutate(options.valid(random), random) : garbage(random));
    const schema = options.bySchema(input);
    const check = options.byCheck(asDecoded(input as Json));
    const where = `${options.name}, seed=${options.seed} (TEST_SEED=${options.seed}), round ${round}: ${JSON.stringify(input).slice(0, 600)}`;
    expect(check.ok, `${where}\nschema: ${schema.ok ? 'accepts' : schema.error}\ncheck: ${check.ok ? 'accepts' : check.error}`).toBe(schema.ok);
    if (schema.ok && check.ok) {
      expect(check.value, where).toStrictEqual(schema.value);
      accepted += 1;
    }
    if (kind === 0) expect(check.ok, `${where}: a generated valid input (${check.ok ? '' : check.error})`).toBe(true);
  }
  return { accepted, rejected: options.rounds - accepted };
}

export function zodOutcome(result: { success: true; data: unknown } | { success: false; error: { message: string } }): Outcome {
  return result.success ? { ok: true, value: result.data } : { ok: false, error: result.error.message };
}
