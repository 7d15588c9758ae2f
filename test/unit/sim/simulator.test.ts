// The simulator's parts: seeded randomness, the event agenda, the network's reachability and labrpc modes, the
// disk's durability, and the runtime loop's order (persist before send, crash drops unsynced writes).
import { describe, expect, it } from 'vitest';
import type { Entry, Message, Persist } from '../../../src/raft/types';
import { SimDisk } from '../../../src/sim/engine/disk';
import { EventQueue } from '../../../src/sim/engine/event-queue';
import { createHarness } from '../../../src/sim/harness';
import { Network } from '../../../src/sim/engine/network';
import { Prng } from '../../../src/sim/engine/prng';
import { Simulation } from '../../../src/sim/engine/simulation';

const heartbeat = (from: number, to: number): Message => ({
  type: 'AppendEntries', from, to, term: 1, prevLogIndex: 0, prevLogTerm: 0, entries: [], leaderCommit: 0, readRound: 0,
});
const reply = (from: number, to: number): Message => ({
  type: 'AppendEntriesReply', from, to, term: 1, success: true, matchIndex: 0, conflictTerm: 0, conflictIndex: 0, readRound: 0,
});

describe('Prng', () => {
  it('is a pure function of its seed, and forks independent streams by label', () => {
    const a = new Prng(7);
    const b = new Prng(7);
    const drawsA = Array.from({ length: 5 }, () => a.nextU32());
    expect(Array.from({ length: 5 }, () => b.nextU32())).toEqual(drawsA);
    expect(new Prng(8).nextU32()).not.toBe(drawsA[0]);
    const root = new Prng(7);
    const network = root.fork('network').nextU32();
    expect(root.fork('network').nextU32()).toBe(network);
    expect(root.fork('disk').nextU32()).not.toBe(network);
  });

  it('draws within its ranges', () => {
    const random = new Prng(3);
    for (let i = 0; i < 1000; i++) {
      const n = random.int(-2, 5);
      expect(n >= -2 && n < 5 && Number.isInteger(n), `seed 3, draw ${i}`).toBe(true);
      const x = random.between(1.5, 2);
      expect(x >= 1.5 && x < 2, `seed 3, draw ${i}`).toBe(true);
    }
    expect(() => random.int(3, 3)).toThrow(/min < max/);
    expect(() => random.chance(1.5)).toThrow(/probability/);
  });
});

describe('EventQueue', () => {
  const item = (timeMs: number, id: number): { timeMs: number; sequence: number; id: number } => ({ timeMs, sequence: 0, id });

  it('orders by time, then by scheduling order', () => {
    const queue = new EventQueue<ReturnType<typeof item>>(100);
    [item(5, 3), item(1, 1), item(5, 4), item(1, 2), item(3, 9)].forEach((i) => queue.push(i));
    const order: number[] = [];
    for (let next = queue.pop(); next !== null; next = queue.pop()) order.push(next.id);
    expect(order).toEqual([1, 2, 9, 3, 4]);
  });

  it('is bounded', () => {
    const queue = new EventQueue<ReturnType<typeof item>>(2);
    queue.push(item(1, 1));
    queue.push(item(1, 2));
    expect(() => queue.push(item(1, 3))).toThrow(/full/);
  });

  it('pops exactly what a sorted model would, under random use', () => {
    const seed = 99;
    const random = new Prng(seed);
    const queue = new EventQueue<ReturnType<typeof item>>(10_000);
    const model: { timeMs: number; id: number }[] = [];
    for (let id = 0; id < 5000; id++) {
      if (random.chance(0.6)) {
        const timeMs = random.int(0, 100);
        queue.push(item(timeMs, id));
        model.push({ timeMs, id });
      } else {
        model.sort((a, b) => a.timeMs - b.timeMs || a.id - b.id);
        const expected = model.shift();
        expect(queue.pop()?.id, `seed ${seed}, step ${id}`).toBe(expected?.id);
      }
    }
    expect(queue.size).toBe(model.length);
  });
});

describe('Network', () => {
  const members = [1, 2, 3, 4, 5];

  it('partitions, bridges and asymmetric links decide who hears whom', () => {
    const network = new Network(members, {}, new Prng(1));
    expect(network.linkDownReason(1, 2)).toBeNull();
    network.partition([[1, 2, 3], [3, 4, 5]]); // node 3 bridges the two sides
    expect(network.linkDownReason(1, 3)).toBeNull();
    expect(network.linkDownReason(5, 3)).toBeNull();
    expect(network.linkDownReason(1, 5)).toBe('partitioned');
    network.heal();
    network.setLinkBlocked(1, 2, true); // 2 no longer hears 1, but 1 still hears 2
    expect(network.linkDownReason(1, 2)).toBe('link-blocked');
    expect(network.linkDownReason(2, 1)).toBeNull();
    network.setConnected(4, false);
    expect(network.linkDownReason(4, 1)).toBe('sender-disconnected');
    expect(network.linkDownReason(1, 4)).toBe('receiver-disconnected');
    network.partition([[1, 2]]); // nodes in no group are isolated
    expect(network.linkDownReason(3, 5)).toBe('partitioned');
  });

  it('labrpc unreliable: about 10% of requests and replies are lost, requests are delayed up to 27 ms', () => {
    const seed = 5;
    const network = new Network(members, { unreliable: true, latency: { minMs: 0, maxMs: 0, tailProbability: 0, tailMeanMs: 0 } }, new Prng(seed));
    let requestsLost = 0;
    let repliesLost = 0;
    let maxDelayMs = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const request = network.decideFate(heartbeat(1, 2));
      if (!request.delivered) requestsLost++;
      else maxDelayMs = Math.max(maxDelayMs, ...request.delaysMs);
      if (!network.decideFate(reply(2, 1)).delivered) repliesLost++;
    }
    expect(requestsLost / n, `seed ${seed}`).toBeCloseTo(0.1, 1);
    expect(repliesLost / n, `seed ${seed}`).toBeCloseTo(0.1, 1);
    expect(maxDelayMs, `seed ${seed}`).toBe(26);
  });

  it('labrpc long reordering: two thirds of replies are delayed 200-2200 ms', () => {
    const seed = 6;
    const network = new Network(members, { longReordering: true, latency: { minMs: 0, maxMs: 0, tailProbability: 0, tailMeanMs: 0 } }, new Prng(seed));
    let delayed = 0;
    const n = 9_000;
    for (let i = 0; i < n; i++) {
      const fate = network.decideFate(reply(2, 1));
      if (!fate.delivered) throw new Error('long reordering alone loses nothing');
      const delayMs = fate.delaysMs[0] as number;
      if (delayMs > 0) {
        delayed++;
        expect(delayMs >= 200 && delayMs <= 2200, `seed ${seed}: ${delayMs}`).toBe(true);
      }
      expect(network.decideFate(heartbeat(1, 2))).toEqual({ delivered: true, delaysMs: [0] });
    }
    expect(delayed / n, `seed ${seed}`).toBeCloseTo(2 / 3, 1);
  });

  it('duplicates and bounds messages in flight', () => {
    const network = new Network(members, { duplicateProbability: 1, maxInFlight: 3 }, new Prng(2));
    const fate = network.decideFate(heartbeat(1, 2));
    expect(fate.delivered && fate.delaysMs.length).toBe(2);
    network.inFlight = 3;
    expect(network.decideFate(heartbeat(1, 2))).toEqual({ delivered: false, reason: 'queue-full' });
  });
});

describe('SimDisk', () => {
  const entries = (from: number, to: number, term: number): Entry[] =>
    Array.from({ length: to - from + 1 }, (_, i) => ({ index: from + i, term, command: `c${from + i}` }));
  const write = (e: Entry[], term = 1): Persist => ({ hardState: { term, votedFor: 1 }, snapshot: null, entries: e, mustSync: false });

  it('keeps only synced writes across a crash, and replaces the suffix a write starts at', () => {
    const disk = new SimDisk();
    disk.write(write(entries(1, 3, 1)));
    disk.sync();
    disk.write(write(entries(2, 2, 2), 2)); // truncates 3, rewrites 2
    expect(disk.durableState().entries).toHaveLength(3);
    expect(disk.dropUnsynced()).toBe(1);
    expect(disk.durableState().entries.map((e) => e.term)).toEqual([1, 1, 1]);
    disk.write(write(entries(2, 2, 2), 2));
    disk.sync();
    expect(disk.durableState()).toEqual({ hardState: { term: 2, votedFor: 1 }, snapshot: null, entries: [...entries(1, 1, 1), ...entries(2, 2, 2)] });
  });

  it('rejects a write that would leave a gap', () => {
    const disk = new SimDisk();
    disk.write(write(entries(3, 3, 1)));
    expect(() => disk.sync()).toThrow(/gap/);
  });
});

describe('Simulation runtime loop', () => {
  it('makes mustSync writes durable before the messages that depend on them are sent; a leader sends entries early', () => {
    const sim = new Simulation({ seed: 1, nodes: 3, fsyncDelayMs: [5, 10] });
    let checked = 0;
    let sentEarly = 0;
    sim.onTrace((record) => {
      if (record.kind !== 'send') return;
      const { message } = record;
      // A leader may send entries before they are on its disk (§10.2.1), but never a commit index beyond its disk.
      if (message.type === 'AppendEntries') {
        expect(sim.durableLog(message.from).length).toBeGreaterThanOrEqual(message.leaderCommit);
        const last = message.entries[message.entries.length - 1];
        if (last !== undefined && sim.durableLog(message.from).length < last.index) sentEarly++;
        checked++;
      }
      // A follower acknowledges only what is on its disk; a vote only once it is on disk.
      if (message.type === 'AppendEntriesReply' && message.success) {
        expect(sim.durableLog(message.from).length).toBeGreaterThanOrEqual(message.matchIndex);
        checked++;
      }
      if (message.type === 'RequestVoteReply' && message.voteGranted && !message.preVote) {
        expect(sim.durableState(message.from).hardState).toEqual({ term: message.term, votedFor: message.to });
        checked++;
      }
    });
    sim.runFor(1000);
    const leader = sim.leaders()[0] as number;
    for (let i = 0; i < 5; i++) sim.propose(leader, `x${i}`);
    sim.runFor(100);
    expect(checked).toBeGreaterThan(10);
    expect(sentEarly).toBeGreaterThan(0);
  });

  it('a crash loses unsynced writes (ack-before-persist) and restart builds the core from the synced state', () => {
    const sim = new Simulation({ seed: 2, nodes: 3, checkInvariants: false, bugs: ['ack-before-persist'], unsyncedFlushDelayMs: [1000, 1000] });
    sim.runFor(1000);
    const leader = sim.leaders()[0] as number;
    const follower = sim.members.find((id) => id !== leader) as number;
    sim.propose(leader, 'x');
    sim.runFor(20);
    expect(sim.log(follower).some((e) => e.command === 'x')).toBe(true);
    expect(sim.durableLog(follower).some((e) => e.command === 'x')).toBe(false);
    sim.crash(follower);
    sim.restart(follower);
    expect(sim.log(follower).some((e) => e.command === 'x')).toBe(false);
  });

  it('drops messages addressed to a crashed or restarted node', () => {
    const sim = new Simulation({ seed: 3, nodes: 3, network: { latency: { minMs: 50, maxMs: 50, tailProbability: 0, tailMeanMs: 0 } } });
    const drops: string[] = [];
    sim.onTrace((record) => {
      if (record.kind === 'drop') drops.push(record.reason);
    });
    sim.runFor(2000);
    const leader = sim.leaders()[0];
    expect(leader).toBeDefined();
    const follower = sim.members.find((id) => id !== leader) as number;
    sim.restart(follower); // heartbeats already in flight to the old incarnation are lost with it
    sim.runFor(100);
    expect(drops).toContain('receiver-restarted');
    sim.crash(follower);
    sim.runFor(100);
    expect(drops).toContain('receiver-down');
  });

  it('the restart record names the vote recovered with the term (what keeps Election Safety across crashes)', () => {
    const sim = new Simulation({ seed: 4, nodes: 3 });
    sim.runFor(1000);
    const leader = sim.leaders()[0] as number;
    const restarts: unknown[] = [];
    sim.onTrace((record) => {
      if (record.kind === 'restart') restarts.push(record);
    });
    sim.restart(leader); // it voted for itself in the term it led
    expect(restarts).toEqual([expect.objectContaining({ node: leader, persistedTerm: sim.status(leader).term, persistedVotedFor: leader })]);
  });
});

describe('harness options', () => {
  it('validates planted bug names, listing the known ones', () => {
    expect(() => createHarness({ nodes: 3, seed: 1, bugs: ['double-vote', 'no-such-bug'] }))
      .toThrow(/unknown planted bug "no-such-bug"; known bugs: commit-previous-term, vote-not-persisted/);
  });

  it('maps precandidate to follower and reports crashed nodes', () => {
    const h = createHarness({ nodes: 3, seed: 1, extensions: { preVote: true } });
    h.checkOneLeader();
    h.crash(0);
    const state = h.state(0);
    expect(state.alive).toBe(false);
    expect(['follower', 'candidate', 'leader']).toContain(state.role);
    expect(h.propose(0, 'x')).toEqual({ index: -1, term: state.term, isLeader: false });
    h.restart(0);
    expect(h.state(0).alive).toBe(true);
  });

  it('nCommitted counts what crashed nodes applied before they crashed', () => {
    const h = createHarness({ nodes: 3, seed: 4 });
    const index = h.one('a', 3, false);
    h.crash(1);
    expect(h.nCommitted(index)).toEqual({ count: 3, command: 'a' });
    expect(h.nCommitted(index - 1).command).toBeNull(); // the leader's no-op
  });

  it('partition() and heal()', () => {
    const h = createHarness({ nodes: 5, seed: 9 });
    const leader = h.checkOneLeader();
    const others = [0, 1, 2, 3, 4].filter((i) => i !== leader);
    h.partition([[leader, others[0] as number], others.slice(1)]);
    h.run(2000);
    const newLeader = h.checkOneLeader();
    expect(others.slice(1)).toContain(newLeader);
    h.heal();
    h.one('after-heal', 5, true);
  });
});
