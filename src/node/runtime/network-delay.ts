// The cluster-wide network delay (lab ms, drawn per message in [min, max]), from a seeded generator: a stepped
// session replayed from the same timer seed draws the same delays, so messages arrive in the same order.
import type { NetworkDelayMs } from '../../protocol/lab-clock';
import { createRandom, type Random } from '../../raft/random';

const FRACTION_STEPS = 1_000_000;
/** Mixed into the seed so that the delays are not the same draws as the election timeouts. */
const DELAY_SEED_SALT = 0x5bd1e995;

export class NetworkDelay {
  private range: NetworkDelayMs;
  private readonly random: Random;

  constructor(range: NetworkDelayMs, seed: number, nodeId: number) {
    this.range = range;
    this.random = createRandom((seed ^ DELAY_SEED_SALT) >>> 0, nodeId);
  }

  /** True when messages leave without any added delay (the fast path: no stamp, no hold). */
  get isZero(): boolean {
    return this.range[1] === 0;
  }

  set(range: NetworkDelayMs): void {
    this.range = range;
  }

  /** One message's delay, lab ms. */
  sampleMs(): number {
    const [min, max] = this.range;
    if (max <= min) return min;
    return min + (this.random.intInRange(0, FRACTION_STEPS) / FRACTION_STEPS) * (max - min);
  }
}
