// MIT 6.5840 Lab 3C (persistence), test for test, on the simulated harness. Sleeps are simulated time; the lab's
// goroutines are cooperative tasks (TaskRunner). cfg.start1(i) is restart(i); cfg.crash1(i) is crash(i)
// followed by disconnect(i), as the lab's crash1 does.
import { describe, expect, it } from 'vitest';
import type { SimHarness } from '../../../src/sim/harness';
import type { Prng } from '../../../src/sim/engine/prng';
import {
  Agreements, makeHarness, oneTask, RAFT_ELECTION_TIMEOUT_MS, randomCommand, TaskRunner, waitCommitted, withSeed, type Task,
  labSeeds,
} from './lab-helpers';

const SEEDS = labSeeds();

/** The lab's crash1: disconnect, then kill (the disk keeps what was synced). */
function crash1(h: SimHarness, i: number): void {
  h.disconnect(i);
  h.crash(i);
}

/** The lab's start1: a fresh server from the saved state; the tests connect it themselves. */
function start1(h: SimHarness, i: number): void {
  h.restart(i);
}

function connected(h: SimHarness, i: number): boolean {
  return h.simulation.network.isConnected(i + 1);
}

describe('6.5840 3C: persistence', () => {
  it.each(SEEDS)('Persist1 (seed %i)', (seed) => withSeed(seed, () => {
    const servers = 3;
    const h = makeHarness({ nodes: servers, seed });
    h.one('11', servers, true);
    // Crash and re-start all.
    for (let i = 0; i < servers; i++) start1(h, i);
    for (let i = 0; i < servers; i++) {
      h.disconnect(i);
      h.connect(i);
    }
    h.one('12', servers, true);
    const leader1 = h.checkOneLeader();
    h.disconnect(leader1);
    start1(h, leader1);
    h.connect(leader1);
    h.one('13', servers, true);
    const leader2 = h.checkOneLeader();
    h.disconnect(leader2);
    const index14 = h.one('14', servers - 1, true);
    start1(h, leader2);
    h.connect(leader2);
    // Wait for leader2 to join before killing i3.
    waitCommitted(h, index14, servers, -1);
    const i3 = (h.checkOneLeader() + 1) % servers;
    h.disconnect(i3);
    h.one('15', servers - 1, true);
    start1(h, i3);
    h.connect(i3);
    h.one('16', servers, true);
  }));

  it.each(SEEDS)('Persist2 (seed %i)', (seed) => withSeed(seed, () => {
    const servers = 5;
    const h = makeHarness({ nodes: servers, seed });
    const agreements = new Agreements(h);
    let index = 1;
    for (let iters = 0; iters < 5; iters++) {
      agreements.one(String(10 + index), servers, true);
      index++;
      const leader1 = h.checkOneLeader();
      h.disconnect((leader1 + 1) % servers);
      h.disconnect((leader1 + 2) % servers);
      agreements.one(String(10 + index), servers - 2, true);
      index++;
      h.disconnect((leader1 + 0) % servers);
      h.disconnect((leader1 + 3) % servers);
      h.disconnect((leader1 + 4) % servers);
      start1(h, (leader1 + 1) % servers);
      start1(h, (leader1 + 2) % servers);
      h.connect((leader1 + 1) % servers);
      h.connect((leader1 + 2) % servers);
      h.run(RAFT_ELECTION_TIMEOUT_MS);
      start1(h, (leader1 + 3) % servers);
      h.connect((leader1 + 3) % servers);
      agreements.one(String(10 + index), servers - 2, true);
      index++;
      h.connect((leader1 + 4) % servers);
      h.connect((leader1 + 0) % servers);
    }
    agreements.one('1000', servers, true);
    agreements.expectCommittedEverywhere();
  }));

  it.each(SEEDS)('Persist3 (seed %i)', (seed) => withSeed(seed, () => {
    const servers = 3;
    const h = makeHarness({ nodes: servers, seed });
    const agreements = new Agreements(h);
    agreements.one('101', 3, true);
    const leader = h.checkOneLeader();
    h.disconnect((leader + 2) % servers);
    agreements.one('102', 2, true);
    crash1(h, (leader + 0) % servers);
    crash1(h, (leader + 1) % servers);
    h.connect((leader + 2) % servers);
    start1(h, (leader + 0) % servers);
    h.connect((leader + 0) % servers);
    agreements.one('103', 2, true);
    start1(h, (leader + 1) % servers);
    h.connect((leader + 1) % servers);
    agreements.one('104', servers, true);
    agreements.expectCommittedEverywhere();
  }));

  // Test the scenarios described in Figure 8 of the extended Raft paper. Each iteration asks a leader, if there is
  // one, to insert a command in the Raft log. If there is a leader, that leader will fail quickly with a high
  // probability (perhaps without committing the command), or crash after a while with low probability (most
  // likely committing the command). If the number of alive servers isn't enough to form a majority, perhaps start
  // a new server. The leader in a new term may try to finish replicating log entries that haven't been committed
  // yet.
  it.each(SEEDS)('Figure8 (seed %i)', (seed) => withSeed(seed, (random) => {
    const servers = 5;
    const h = makeHarness({ nodes: servers, seed });
    const agreements = new Agreements(h);
    agreements.one(randomCommand(random), 1, true);
    let nup = servers;
    for (let iters = 0; iters < 1000; iters++) {
      let leader = -1;
      for (let i = 0; i < servers; i++) {
        if (h.state(i).alive && h.propose(i, randomCommand(random)).isLeader) leader = i;
      }
      if (random.int(0, 1000) < 100) h.run(random.int(0, RAFT_ELECTION_TIMEOUT_MS / 2));
      else h.run(random.int(0, 13));
      if (leader !== -1) {
        crash1(h, leader);
        nup -= 1;
      }
      if (nup < 3) {
        const s = random.int(0, servers);
        if (!h.state(s).alive) {
          start1(h, s);
          h.connect(s);
          nup += 1;
        }
      }
    }
    for (let i = 0; i < servers; i++) {
      if (!h.state(i).alive) {
        start1(h, i);
        h.connect(i);
      }
    }
    agreements.one(randomCommand(random), servers, true);
    agreements.expectCommittedEverywhere();
  }));

  it.each(SEEDS)('UnreliableAgree (seed %i)', (seed) => withSeed(seed, () => {
    const servers = 5;
    const h = makeHarness({ nodes: servers, seed, unreliable: true });
    const agreements = new Agreements(h);
    const runner = new TaskRunner(h);
    const tasks: { command: string; done: () => boolean; result: () => number }[] = [];
    for (let iters = 1; iters < 50; iters++) {
      for (let j = 0; j < 4; j++) {
        const command = String(100 * iters + j);
        tasks.push({ command, ...runner.spawn(oneTask(h, command, 1, true)) });
      }
      const main = { command: String(iters), ...runner.spawn(oneTask(h, String(iters), 1, true)) };
      tasks.push(main);
      runner.runUntil(() => main.done());
    }
    h.setUnreliable(false);
    runner.runUntil(() => tasks.every((task) => task.done()));
    for (const task of tasks) agreements.record(task.result(), task.command);
    expect(agreements.count).toBe(5 * 49); // each command agreed at an index of its own
    agreements.one('100', servers, true);
    agreements.expectCommittedEverywhere();
  }));

  it.each(SEEDS)('Figure8Unreliable (seed %i)', (seed) => withSeed(seed, (random) => {
    const servers = 5;
    const h = makeHarness({ nodes: servers, seed, unreliable: true });
    const agreements = new Agreements(h);
    agreements.one(String(random.int(0, 10_000)), 1, true);
    let nup = servers;
    for (let iters = 0; iters < 1000; iters++) {
      if (iters === 200) h.setLongReordering(true);
      let leader = -1;
      for (let i = 0; i < servers; i++) {
        const { isLeader } = h.propose(i, String(random.int(0, 10_000)));
        if (isLeader && connected(h, i)) leader = i;
      }
      if (random.int(0, 1000) < 100) h.run(random.int(0, RAFT_ELECTION_TIMEOUT_MS / 2));
      else h.run(random.int(0, 13));
      if (leader !== -1 && random.int(0, 1000) < RAFT_ELECTION_TIMEOUT_MS / 2) {
        h.disconnect(leader);
        nup -= 1;
      }
      if (nup < 3) {
        const s = random.int(0, servers);
        if (!connected(h, s)) {
          h.connect(s);
          nup += 1;
        }
      }
    }
    for (let i = 0; i < servers; i++) if (!connected(h, i)) h.connect(i);
    agreements.one(String(random.int(0, 10_000)), servers, true);
    agreements.expectCommittedEverywhere();
  }));

  it.each(SEEDS)('ReliableChurn (seed %i)', (seed) => withSeed(seed, (random) => internalChurn(seed, random, false)));

  it.each(SEEDS)('UnreliableChurn (seed %i)', (seed) => withSeed(seed, (random) => internalChurn(seed, random, true)));
});

function internalChurn(seed: number, random: Prng, unreliable: boolean): void {
  const servers = 5;
  const h = makeHarness({ nodes: servers, seed, unreliable });
  const runner = new TaskRunner(h);
  let stop = false;

  // Concurrent clients: each keeps proposing and remembers the values it saw committed.
  function* client(me: number): Task<string[]> {
    const values: string[] = [];
    while (!stop) {
      const x = randomCommand(random);
      let index = -1;
      let ok = false;
      for (let i = 0; i < servers; i++) {
        // Try them all, maybe one of them is a leader.
        if (!h.state(i).alive) continue;
        const result = h.propose(i, x);
        if (result.isLeader) {
          ok = true;
          index = result.index;
        }
      }
      if (ok) {
        // Maybe leader will commit our value, maybe not; but don't wait forever.
        for (const toMs of [10, 20, 50, 100, 200]) {
          const { count, command } = h.nCommitted(index);
          if (count > 0) {
            if (command === x) values.push(x);
            break;
          }
          yield toMs;
        }
      } else {
        yield 79 + me * 17;
      }
    }
    return values;
  }

  function* chaos(): Task<void> {
    for (let iters = 0; iters < 20; iters++) {
      if (random.int(0, 1000) < 200) h.disconnect(random.int(0, servers));
      if (random.int(0, 1000) < 500) {
        const i = random.int(0, servers);
        if (!h.state(i).alive) start1(h, i);
        h.connect(i);
      }
      if (random.int(0, 1000) < 200) {
        const i = random.int(0, servers);
        if (h.state(i).alive) crash1(h, i);
      }
      // Make crash/restart infrequent enough that the peers can often keep up, but not so infrequent that
      // everything has settled down from one change to the next.
      yield (RAFT_ELECTION_TIMEOUT_MS * 7) / 10;
    }
  }

  const clients = [0, 1, 2].map((me) => runner.spawn(client(me)));
  const faults = runner.spawn(chaos());
  runner.runUntil(() => faults.done());
  runner.runFor(RAFT_ELECTION_TIMEOUT_MS);
  h.setUnreliable(false);
  for (let i = 0; i < servers; i++) {
    if (!h.state(i).alive) start1(h, i);
    h.connect(i);
  }
  stop = true;
  runner.runUntil(() => clients.every((c) => c.done()));
  const values = clients.flatMap((c) => c.result());
  h.run(RAFT_ELECTION_TIMEOUT_MS);
  const lastIndex = h.one(randomCommand(random), servers, true);
  const really: (string | null)[] = [];
  for (let index = 1; index <= lastIndex; index++) {
    const v = waitCommitted(h, index, servers, -1);
    if (typeof v === 'symbol') throw new Error('unreachable: no start term given');
    really.push(v);
  }
  for (const v1 of values) expect(really, "didn't find a value").toContain(v1);
}
