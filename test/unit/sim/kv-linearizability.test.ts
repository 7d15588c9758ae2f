// KV linearizability under faults: simulated clients (sessions, retries) run put/get/delete/cas against the
// replicated KV store while nodes crash and partitions come and go; the recorded history must be linearizable.
// With the stale-leader-reads planted bug the linearizability checker alone (invariant checker off) catches it.
import { describe, expect, it } from 'vitest';
import { formatHistory, parseHistory } from '../../../src/check/history';
import type { FaultProfileName } from '../../../src/sim/faults/fault-schedule';
import { runKvSeed } from '../../../src/sim/drivers/kv-run';

const PROFILES: readonly FaultProfileName[] = ['partitions', 'mixed', 'reboots', 'reordering'];
const WITHIN_SEEDS = 50;

describe('KV linearizability in the simulator', () => {
  it.each(Array.from({ length: 12 }, (_, i) => i + 1))('seed %i: the history under faults is linearizable', (seed) => {
    const profile = PROFILES[seed % PROFILES.length] as FaultProfileName;
    const result = runKvSeed({ seed, profile });
    expect(result.failure, `${result.failure ?? ''} (replay: ${result.replay})`).toBeNull();
    expect(result.linearizability?.ok).toBe(true);
    // The run did real work under faults: many operations, some of them retried.
    expect(result.completed, `seed ${seed}`).toBeGreaterThan(300);
    expect(result.history.filter((op) => op.op === 'get' && op.status === 'ok').length, `seed ${seed}`).toBeGreaterThan(50);
  });

  it('records the public history format', () => {
    const result = runKvSeed({ seed: 3, seconds: 3 });
    const text = formatHistory(result.history);
    expect(parseHistory(text)).toEqual(result.history);
    expect(new Set(result.history.map((op) => op.op))).toEqual(new Set(['put', 'get', 'delete', 'cas']));
  });

  it(`stale-leader-reads is caught by the linearizability checker within ${WITHIN_SEEDS} seeds, and those seeds pass without it`, () => {
    let caughtSeed = 0;
    for (let seed = 1; seed <= WITHIN_SEEDS && caughtSeed === 0; seed++) {
      const result = runKvSeed({ seed, bugs: ['stale-leader-reads'], checkInvariants: false });
      if (result.failure !== null) {
        expect(result.failure).toContain('not linearizable');
        expect(result.linearizability?.violation?.ops.some((op) => op.op === 'get')).toBe(true);
        caughtSeed = seed;
      }
    }
    expect(caughtSeed, `not caught in seeds 1..${WITHIN_SEEDS}`).toBeGreaterThan(0);
    for (let seed = 1; seed <= caughtSeed; seed++) {
      const result = runKvSeed({ seed, checkInvariants: false });
      expect(result.failure, `seed ${seed} fails without the bug: ${result.failure ?? ''}`).toBeNull();
    }
  });
});
