// Leadership transfer (dissertation §3.10) in the style of MIT 6.5840's tests, on the simulated harness: to an
// up-to-date follower, to a lagging one (caught up first, by a snapshot when its entries were compacted), to a crashed
// or cut-off one (the transfer is abandoned after an election timeout and the leader carries on), and transfers in the
// middle of writes (no agreed write is lost). Every "sleep" is simulated time; a failure names the seed.
import { describe, expect, it } from 'vitest';
import type { SimHarness } from '../../../src/sim/harness';
import { Agreements, labSeeds, makeHarness, withSeed } from './lab-helpers';

const SEEDS = labSeeds();
/** Plain Raft, and with the dissertation's extensions: then every voter heard from the leader recently (§4.2.3). */
const CASES = [false, true].flatMap((extensions) => SEEDS.map((seed) => [extensions ? 'pre-vote + check-quorum' : 'plain', seed] as const));

function harness(mode: string, seed: number, options: { snapshotEvery?: number; nodes?: number } = {}): SimHarness {
  return makeHarness({
    nodes: options.nodes ?? 3, seed,
    ...(mode === 'plain' ? {} : { extensions: { preVote: true, checkQuorum: true } }),
    ...(options.snapshotEvery === undefined ? {} : { snapshotEvery: options.snapshotEvery }),
  });
}

/** The term the leader `i` leads, read from its state. */
const termOf = (h: SimHarness, i: number): number => h.state(i).term;

describe('leadership transfer (dissertation §3.10), 6.5840 style', () => {
  it.each(CASES)('to an up-to-date follower: it leads within one round trip, and writes go on (%s, seed %i)', (mode, seed) => withSeed(seed, () => {
    const h = harness(mode, seed);
    const agreed = new Agreements(h);
    agreed.one('before', 3, true);
    const leader = h.checkOneLeader();
    const target = (leader + 1) % 3;
    const term = termOf(h, leader);
    h.transferLeadership(target);
    h.run(50); // a few message delays, far below an election timeout
    expect(h.state(target)).toMatchObject({ role: 'leader', term: term + 1 });
    expect(h.state(leader).role).toBe('follower');
    expect(h.checkOneLeader()).toBe(target);
    agreed.one('after', 3, true);
    agreed.expectCommittedEverywhere();
  }));

  it.each(CASES)('to a lagging follower: it is caught up first, then leads (%s, seed %i)', (mode, seed) => withSeed(seed, () => {
    const h = harness(mode, seed, { snapshotEvery: 5 });
    const agreed = new Agreements(h);
    agreed.one('first', 3, true);
    const leader = h.checkOneLeader();
    const target = (leader + 2) % 3;
    // Down rather than cut off: a cut-off server without pre-vote would campaign, and its higher term would depose
    // the leader (ending any transfer) as soon as it is back.
    h.crash(target);
    for (let i = 0; i < 20; i++) agreed.one(`missed-${i}`, 2, true); // compacted away on the others: a snapshot is needed
    h.restart(target);
    expect(h.state(target).lastLogIndex).toBeLessThan(h.state(leader).lastLogIndex);
    h.transferLeadership(target);
    h.run(400);
    expect(h.checkOneLeader()).toBe(target);
    agreed.one('led-by-the-caught-up-one', 3, true);
    agreed.expectCommittedEverywhere();
  }));

  it.each(CASES)('to a crashed or cut-off follower: proposals wait, then the transfer is abandoned and the leader carries on (%s, seed %i)',
    (mode, seed) => withSeed(seed, () => {
      for (const fault of ['crash', 'disconnect'] as const) {
        const h = harness(mode, seed, { nodes: 5 });
        const agreed = new Agreements(h);
        agreed.one('before', 5, true);
        const leader = h.checkOneLeader();
        const target = (leader + 1) % 5;
        if (fault === 'crash') h.crash(target);
        else h.disconnect(target);
        const term = termOf(h, leader);
        h.transferLeadership(target);
        expect(h.propose(leader, 'during').isLeader, `${fault}: a leader handing over accepts no proposals`).toBe(false);
        h.run(400); // beyond the election timeout (150-300 ms): abandoned
        expect(h.state(leader), fault).toMatchObject({ role: 'leader', term });
        expect(h.propose(leader, 'resumed').isLeader, `${fault}: the leader accepts proposals again`).toBe(true);
        agreed.one('after', 4, true);
        if (fault === 'crash') h.restart(target);
        else h.connect(target);
        agreed.one('all-back', 5, true);
        agreed.expectCommittedEverywhere();
      }
    }));

  it.each(CASES)('transfers in the middle of writes, on an unreliable network, lose no agreed write (%s, seed %i)', (mode, seed) => withSeed(seed, (random) => {
    const h = harness(mode, seed, { nodes: 5 });
    h.setUnreliable(true);
    const agreed = new Agreements(h);
    let transfers = 0;
    for (let round = 0; round < 12; round++) {
      agreed.one(`w${round}`, 5, true);
      h.transferLeadership(random.int(0, 5));
      transfers++;
      h.run(random.int(0, 60)); // sometimes the next write arrives mid-transfer: refused, then retried by one()
    }
    expect(transfers).toBe(12);
    h.setUnreliable(false);
    agreed.one('last', 5, true);
    agreed.expectCommittedEverywhere();
  }));
});
