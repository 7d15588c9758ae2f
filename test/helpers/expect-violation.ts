// For the invariant checker's tests: runs a breach and checks that exactly the expected property fired, with a
// report that names the seed to replay.
import { expect } from 'vitest';
import { InvariantViolation, type InvariantName } from '../../src/check/invariants';

/** Runs `breach`, expecting `invariant` to fire with `seed` in its report; returns the violation. */
export function expectViolation(invariant: InvariantName, seed: number, breach: () => void): InvariantViolation {
  try {
    breach();
  } catch (error) {
    expect(error).toBeInstanceOf(InvariantViolation);
    const violation = error as InvariantViolation;
    expect(violation.invariant, violation.message).toBe(invariant);
    expect(violation.seed).toBe(seed);
    expect(violation.message).toContain(`seed ${seed}`);
    return violation;
  }
  throw new Error(`expected ${invariant} to fire, but nothing did`);
}
