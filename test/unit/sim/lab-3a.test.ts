// MIT 6.5840 Lab 3A (leader election), test for test, on the simulated harness. Sleeps are simulated time.
import { describe, expect, it } from 'vitest';
import { labSeeds, makeHarness, RAFT_ELECTION_TIMEOUT_MS, withSeed } from './lab-helpers';

const SEEDS = labSeeds();

describe('6.5840 3A: leader election', () => {
  it.each(SEEDS)('InitialElection (seed %i)', (seed) => withSeed(seed, () => {
    const servers = 3;
    const h = makeHarness({ nodes: servers, seed });
    // Is a leader elected?
    h.checkOneLeader();
    // Sleep a bit to avoid racing with followers learning of the election, then check all peers agree on the term.
    h.run(50);
    const term1 = h.checkTerms();
    expect(term1, 'term should be at least 1').toBeGreaterThanOrEqual(1);
    // Does the leader+term stay the same if there is no network failure?
    h.run(2 * RAFT_ELECTION_TIMEOUT_MS);
    const term2 = h.checkTerms();
    // The lab only warns here; with a deterministic reliable network a change would be a real regression.
    expect(term2, 'term changed even though there were no failures').toBe(term1);
    // There should still be a leader.
    h.checkOneLeader();
  }));

  it.each(SEEDS)('ReElection (seed %i)', (seed) => withSeed(seed, () => {
    const servers = 3;
    const h = makeHarness({ nodes: servers, seed });
    const leader1 = h.checkOneLeader();
    // If the leader disconnects, a new one should be elected.
    h.disconnect(leader1);
    const elected = h.checkOneLeader();
    expect(elected, 'the new leader is among the connected servers').not.toBe(leader1);
    const termWithout1 = h.state(elected).term;
    expect(termWithout1).toBeGreaterThan(h.state(leader1).term);
    // If the old leader rejoins, that shouldn't disturb the new leader.
    h.connect(leader1);
    const leader2 = h.checkOneLeader();
    // If there's no quorum, no new leader should be elected.
    h.disconnect(leader2);
    h.disconnect((leader2 + 1) % servers);
    h.run(2 * RAFT_ELECTION_TIMEOUT_MS);
    // Check that the one connected server does not think it is the leader.
    expect(() => h.checkNoLeader()).not.toThrow();
    const alone = (leader2 + 2) % servers;
    expect(h.state(alone).role).not.toBe('leader');
    // If a quorum arises, it should elect a leader.
    h.connect((leader2 + 1) % servers);
    expect([alone, (leader2 + 1) % servers], 'a leader of the two connected servers').toContain(h.checkOneLeader());
    // Re-join of last node shouldn't prevent leader from existing.
    h.connect(leader2);
    expect(() => h.checkOneLeader()).not.toThrow();
  }));

  it.each(SEEDS)('ManyElections (seed %i)', (seed) => withSeed(seed, (random) => {
    const servers = 7;
    const h = makeHarness({ nodes: servers, seed });
    h.checkOneLeader();
    const iters = 10;
    for (let ii = 1; ii < iters; ii++) {
      // Disconnect three nodes.
      const i1 = random.int(0, servers);
      const i2 = random.int(0, servers);
      const i3 = random.int(0, servers);
      h.disconnect(i1);
      h.disconnect(i2);
      h.disconnect(i3);
      // Either the current leader should still be alive, or the remaining four should elect a new one.
      const leader = h.checkOneLeader();
      expect([i1, i2, i3], 'the leader is a connected server').not.toContain(leader);
      h.connect(i1);
      h.connect(i2);
      h.connect(i3);
    }
    expect(() => h.checkOneLeader()).not.toThrow();
  }));
});
