// Same seed + same calls = the same run, event for event: the whole trace (every Raft event with its reason,
// every message sent, delivered or dropped, every fault) hashes identically across two runs.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runFuzzSeed, type FuzzOptions } from '../../../src/sim/drivers/fuzz';
import { SimHarness } from '../../../src/sim/harness';

function traceDigest(options: FuzzOptions): { digest: string; records: number } {
  const hash = createHash('sha256');
  let records = 0;
  const result = runFuzzSeed({
    ...options,
    onTrace: (record) => {
      records++;
      hash.update(JSON.stringify(record));
      hash.update('\n');
    },
  });
  expect(result.failure, result.failure?.message).toBeNull();
  hash.update(JSON.stringify({ steps: result.steps, committed: result.committed, messages: result.messages }));
  return { digest: hash.digest('hex'), records };
}

describe('determinism', () => {
  it.each([
    { seed: 11, profile: 'mixed' as const },
    { seed: 12, profile: 'reboots' as const },
    { seed: 13, profile: 'figure8-partitions' as const, nodes: 3 },
  ])('a fuzz run replays byte for byte from its seed ($profile, seed $seed)', (options) => {
    const first = traceDigest({ ...options, seconds: 8 });
    const second = traceDigest({ ...options, seconds: 8 });
    expect(first.records, `seed ${options.seed}`).toBeGreaterThan(1000);
    expect(second, `seed ${options.seed} did not replay identically`).toEqual(first);
  });

  it('different seeds give different runs', () => {
    const a = traceDigest({ seed: 21, seconds: 3 });
    const b = traceDigest({ seed: 22, seconds: 3 });
    expect(a.digest).not.toBe(b.digest);
  });

  it('the harness replays identically too', () => {
    const run = (seed: number): string => {
      const h = new SimHarness({ nodes: 5, seed, unreliable: true });
      const hash = createHash('sha256');
      h.simulation.onTrace((record) => hash.update(JSON.stringify(record)));
      const leader = h.checkOneLeader();
      h.one('a', 5, true);
      h.disconnect(leader);
      h.one('b', 4, true);
      h.crash((leader + 1) % 5);
      h.restart((leader + 1) % 5);
      h.connect(leader);
      h.one('c', 5, true);
      return `${hash.digest('hex')} ${h.rpcCount()} ${h.rpcBytes()}`;
    };
    expect(run(5)).toBe(run(5));
    expect(run(5)).not.toBe(run(6));
  });
});
