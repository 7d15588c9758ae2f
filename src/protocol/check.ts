// Hand-written validation for what a node process receives (its lab's control frames, peer and client frames that
// the fast checks do not accept, its environment), without zod: zod and its schemas were ~4 MB of every node's
// resident memory (docs/benchmarks.md). A check returns the parsed value or throws a CheckFailure naming the path
// and the problem. Each check accepts and returns exactly what its zod schema (the lab's, or the reference it
// replaced) does, measuring strings in code points and integers as safe integers as zod does
// (test/unit/protocol/hand-checks.test.ts).

export type PathSegment = string | number;

/** A value that does not pass a check: where (filled in on the way out) and why. */
export class CheckFailure extends Error {
  readonly path: PathSegment[] = [];

  constructor(readonly problem: string) {
    super(problem);
    this.name = 'CheckFailure';
  }

  /** One line, e.g. `msg.term: expected an integer >= 0, got number -1`. */
  describe(): string {
    return `${this.path.length > 0 ? this.path.join('.') : '(root)'}: ${this.problem}`;
  }
}

export type Check<T> = (value: unknown) => T;

/** A field that may be absent (or undefined): the object check leaves it out. */
export type OptionalCheck<T> = Check<T | undefined> & { readonly optional: true };

export function fail(problem: string): never {
  throw new CheckFailure(problem);
}

/** Runs `check` on a part of a value; a failure inside gets `key` in front of its path. */
export function checkAt<T>(key: PathSegment, value: unknown, check: Check<T>): T {
  try {
    return check(value);
  } catch (error) {
    if (error instanceof CheckFailure) error.path.unshift(key);
    throw error;
  }
}

/** "null", "an array", "number 1.5", "a string of 3 characters", "nothing" (absent) ... for error messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'number') return `number ${value}`;
  if (typeof value === 'string') return `a string of ${value.length} characters`;
  if (typeof value === 'boolean') return `${value}`;
  return `${typeof value === 'object' ? 'an' : 'a'} ${typeof value}`;
}

function range(min: number, max: number): string {
  if (max === Number.MAX_SAFE_INTEGER) return `>= ${min}`;
  return min === max ? `${min}` : `in [${min}, ${max}]`;
}

/** A safe integer (as zod's int) in [min, max]. */
export function integer(min: number, max = Number.MAX_SAFE_INTEGER): Check<number> {
  return (value) => {
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max) return value;
    return fail(`expected an integer ${range(min, max)}, got ${describeValue(value)}`);
  };
}

/** A finite number in [min, max]. */
export function finite(min: number, max = Number.MAX_VALUE): Check<number> {
  return (value) => {
    if (typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max) return value;
    return fail(`expected a number ${max === Number.MAX_VALUE ? `>= ${min}` : `in [${min}, ${max}]`}, got ${describeValue(value)}`);
  };
}

export const boolean: Check<boolean> = (value) =>
  typeof value === 'boolean' ? value : fail(`expected true or false, got ${describeValue(value)}`);

export function literal<const T extends string | number | boolean>(expected: T): Check<T> {
  return (value) => (value === expected ? expected : fail(`expected ${JSON.stringify(expected)}, got ${describeValue(value)}`));
}

export function oneOf<const T extends string>(options: readonly T[]): Check<T> {
  return (value) => (options.includes(value as T) ? value as T
    : fail(`expected one of ${options.map((option) => JSON.stringify(option)).join(', ')}, got ${describeValue(value)}`));
}

/** Code points of a string: a surrogate pair counts once, as zod counts a string's length. */
export function codePointLength(text: string): number {
  let count = text.length;
  for (let i = 0; i < text.length - 1; i += 1) {
    if ((text.charCodeAt(i) & 0xfc00) === 0xd800 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      count -= 1;
      i += 1;
    }
  }
  return count;
}

/** A string of minChars to maxChars code points, matching `pattern` when one is given. */
export function text(minChars: number, maxChars: number, pattern?: RegExp, patternProblem?: string): Check<string> {
  return (value) => {
    if (typeof value !== 'string') return fail(`expected a string, got ${describeValue(value)}`);
    // Units are at least the code points and at most twice them, so only between those bounds must they be counted.
    const units = value.length;
    const chars = units < minChars ? units : units <= maxChars && units >= 2 * minChars ? units : codePointLength(value);
    if (chars < minChars || chars > maxChars) {
      return fail(`expected a string of ${range(minChars, maxChars)} characters, got ${chars}`);
    }
    if (pattern !== undefined && !pattern.test(value)) return fail(patternProblem ?? `does not match ${String(pattern)}`);
    return value;
  };
}

export function nullable<T>(check: Check<T>): Check<T | null> {
  return (value) => (value === null ? null : check(value));
}

export function optional<T>(check: Check<T>): OptionalCheck<T> {
  return Object.assign((value: unknown) => (value === undefined ? undefined : check(value)), { optional: true as const });
}

/** An array of minItems to maxItems items; `frozen` as zod's `.readonly()`. */
export function list<T>(item: Check<T>, maxItems: number, options: { minItems?: number; frozen?: boolean } = {}): Check<T[]> {
  const minItems = options.minItems ?? 0;
  return (value) => {
    if (!Array.isArray(value)) return fail(`expected an array, got ${describeValue(value)}`);
    if (value.length < minItems || value.length > maxItems) {
      return fail(`expected ${range(minItems, maxItems)} items, got ${value.length}`);
    }
    const parsed = value.map((element: unknown, index) => checkAt(index, element, item));
    return options.frozen === true ? Object.freeze(parsed) as T[] : parsed;
  };
}

export function pair<A, B>(first: Check<A>, second: Check<B>): Check<[A, B]> {
  return (value) => {
    if (!Array.isArray(value)) return fail(`expected an array of 2, got ${describeValue(value)}`);
    if (value.length !== 2) return fail(`expected an array of 2, got ${value.length} items`);
    return [checkAt(0, value[0], first), checkAt(1, value[1], second)];
  };
}

/** A value that passes `check` and then `holds` (zod's refine); `at` names the field the problem is about. */
export function refined<T, U extends T>(check: Check<T>, holds: (value: T) => value is U, problem: string, at?: PathSegment): Check<U>;
export function refined<T>(check: Check<T>, holds: (value: T) => boolean, problem: string, at?: PathSegment): Check<T>;
export function refined<T>(check: Check<T>, holds: (value: T) => boolean, problem: string, at?: PathSegment): Check<T> {
  return (value) => {
    const parsed = check(value);
    if (holds(parsed)) return parsed;
    return at === undefined ? fail(problem) : checkAt(at, parsed, () => fail(problem));
  };
}

type Fields = Record<string, unknown>;

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The checks of an object's fields: every field of T, optional ones through `optional`. */
export type Shape<T> = { readonly [K in keyof T]-?: undefined extends T[K] ? OptionalCheck<Exclude<T[K], undefined>> : Check<T[K]> };

/**
 * An object with the fields of `shape` and, when `strict`, no others (zod's strictObject); without `strict`, other
 * fields are dropped (zod's object). The result is a new object of the shape's fields.
 */
export function object<T>(shape: Shape<T>, strict = true): Check<T> {
  const keys = Object.keys(shape) as (keyof T & string)[];
  return (value) => {
    if (!isObject(value)) return fail(`expected an object, got ${describeValue(value)}`);
    if (strict) {
      for (const key in value) {
        if (!Object.hasOwn(shape, key)) return fail(`Unrecognized key ${JSON.stringify(key)}`);
      }
    }
    const parsed: Fields = {};
    for (const key of keys) {
      const check = shape[key] as Check<unknown> & { optional?: true };
      const field = value[key];
      if (field === undefined && check.optional === true) {
        if (key in value) parsed[key] = undefined;
        continue;
      }
      parsed[key] = checkAt(key, field, check);
    }
    return parsed as T;
  };
}

/**
 * An object used as a map (zod's record): each key passes `key` (which returns the key to store it under) and each
 * value `item`. As zod does, an own `__proto__` key is skipped rather than refused.
 */
export function record<T>(key: (name: string) => string, item: Check<T>): Check<Record<string, T>> {
  return (value) => {
    if (!isObject(value)) return fail(`expected an object, got ${describeValue(value)}`);
    const parsed: Record<string, T> = {};
    for (const name of Object.keys(value)) {
      if (name === '__proto__') continue;
      const stored = checkAt(name, name, () => key(name));
      parsed[stored] = checkAt(name, value[name], item);
    }
    return parsed;
  };
}

/** An object whose `tag` field chooses the check for the rest (zod's discriminatedUnion). */
export function tagged<T>(tag: string, options: Readonly<Record<string, Check<T>>>): Check<T> {
  const names = Object.keys(options);
  return (value) => {
    if (!isObject(value)) return fail(`expected an object, got ${describeValue(value)}`);
    const chosen = value[tag];
    if (typeof chosen !== 'string' || !Object.hasOwn(options, chosen)) {
      return checkAt(tag, chosen, () => fail(`expected one of ${names.map((name) => JSON.stringify(name)).join(', ')}, got ${describeValue(chosen)}`));
    }
    return (options[chosen] as Check<T>)(value);
  };
}

/** Runs a check; a failure comes back as one line instead of an exception. */
export function attempt<T>(check: Check<T>, value: unknown): { ok: true; value: T } | { ok: false; error: string } {
  try {
    return { ok: true, value: check(value) };
  } catch (error) {
    if (error instanceof CheckFailure) return { ok: false, error: error.describe() };
    throw error;
  }
}
