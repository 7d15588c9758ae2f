import { describe, expect, it } from 'vitest';
import { fuzz } from './fuzz';

const SEEDS = 20;
const STEPS = 2500;

describe('randomized schedules (loss, duplication, reordering, restarts) keep Raft safe', () => {
  const configs = [
    { name: 'plain Raft', options: {} },
    { name: 'with pre-vote and check-quorum', options: { preVote: true, checkQuorum: true } },
    { name: 'five servers, one entry per message', options: { size: 5, maxEntriesPerMessage: 1 } },
    { name: 'heavy reordering', options: {}, reorderWindow: 40 },
  ];
  for (const { name, options, reorderWindow } of configs) {
    it(`${name}: every server applies the same entry at each index, at most one leader per term`, () => {
      let committed = 0;
      for (let seed = 1; seed <= SEEDS; seed++) {
        let result;
        try {
          result = fuzz(seed, STEPS, options, reorderWindow);
        } catch (error) {
          throw new Error(`seed ${seed} (${name}) threw: ${String(error)}`);
        }
        expect(result.violation, `replay with fuzz(${seed}, ${STEPS}, ${JSON.stringify(options)}, ${reorderWindow ?? 4})`).toBeNull();
        committed += result.committed;
      }
      expect(committed).toBeGreaterThan(100);
    });
  }
});

describe('the same randomized schedules expose planted bugs (the checkers see them)', () => {
  const bugs = ['no-up-to-date-check', 'ack-before-persist', 'double-vote', 'truncate-without-conflict'] as const;
  for (const bug of bugs) {
    it(`${bug}: some schedule of the first 20 seeds breaks State Machine Safety or Election Safety`, () => {
      let found: string | null = null;
      for (let seed = 1; seed <= 20 && found === null; seed++) {
        const violation = fuzz(seed, STEPS, { bugs: [bug], size: 5 }, 40).violation;
        if (violation !== null) found = `seed ${seed}: ${violation}`;
      }
      expect(found, `no violation found with bug ${bug} in seeds 1..20 (fuzz(seed, ${STEPS}, { bugs: ['${bug}'], size: 5 }, 40))`).not.toBeNull();
    });
  }
});
