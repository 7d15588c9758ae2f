// Flow control in a whole simulated cluster (etcd-io/raft's probe/replicate): what it saves in messages. Before it,
// every heartbeat and every proposal resent each follower all its unacknowledged entries (up to 64 per message),
// so a silent follower got an AppendEntries per proposal and a slow link carried each entry several times.

import { describe, expect, it } from 'vitest';
import type { Message } from '../../../src/raft/types';
import { Simulation } from '../../../src/sim/engine/simulation';

interface Counts {
  appendEntriesTo: Map<number, number>;
  entriesCarried: number;
}

/** AppendEntries handed to the network (a message the network drops at once is traced as a drop, not a send). */
function countSends(simulation: Simulation): Counts {
  const counts: Counts = { appendEntriesTo: new Map(), entriesCarried: 0 };
  const seen = new Set<number>();
  simulation.onTrace((record) => {
    if (!(record.kind === 'send' || record.kind === 'drop') || record.message.type !== 'AppendEntries' || seen.has(record.messageId)) return;
    seen.add(record.messageId);
    const message: Extract<Message, { type: 'AppendEntries' }> = record.message;
    counts.appendEntriesTo.set(message.to, (counts.appendEntriesTo.get(message.to) ?? 0) + 1);
    counts.entriesCarried += message.entries.length;
  });
  return counts;
}

/** Proposes at the leader every `intervalMs` until `untilMs`. */
function steadyClient(simulation: Simulation, intervalMs: number, untilMs: number): { proposed: number } {
  const client = { proposed: 0 };
  const tick = (): void => {
    const leader = simulation.leaders()[0];
    if (leader !== undefined && simulation.propose(leader, `c${client.proposed}`)?.ok === true) client.proposed++;
    if (simulation.nowMs + intervalMs < untilMs) simulation.schedule(intervalMs, tick);
  };
  simulation.schedule(intervalMs, tick);
  return client;
}

function electedLeader(simulation: Simulation): number {
  simulation.runFor(2_000);
  const leader = simulation.leaders()[0];
  if (leader === undefined) throw new Error(`no leader after 2 s (seed ${simulation.seed})`);
  return leader;
}

describe('flow control in a simulated cluster', () => {
  it('a cut-off follower gets one AppendEntries per heartbeat (probe), not one per proposal', () => {
    const seed = 11;
    const simulation = new Simulation({ seed, nodes: 5, heartbeatMs: 50 });
    const leader = electedLeader(simulation);
    const silent = leader === 5 ? 4 : 5;
    simulation.network.setConnected(silent, false);
    simulation.runFor(500); // silent for longer than an election timeout: it is probed
    expect(simulation.status(leader).progress?.[silent]?.state, `seed ${seed}`).toBe('probe');
    const counts = countSends(simulation);
    const startMs = simulation.nowMs;
    const client = steadyClient(simulation, 10, startMs + 10_000);
    simulation.runUntil(startMs + 10_000);
    expect(simulation.leaders(), `seed ${seed}`).toEqual([leader]);
    expect(client.proposed, `seed ${seed}`).toBeGreaterThan(900);
    // Silent for an election timeout, it went back to probe: 10 s of 50 ms heartbeats, 200 probes (before flow
    // control: one per proposal on top, 1,199).
    expect(counts.appendEntriesTo.get(silent), `seed ${seed}`).toBeLessThanOrEqual(202);
  });

  it('over a slow link each entry travels once per follower, however many heartbeats and proposals pass meanwhile', () => {
    const seed = 12;
    // 25 ms each way, in order (as over one TCP or ZeroMQ connection): entries spend a round trip of 10 proposals
    // and a heartbeat unacknowledged.
    const simulation = new Simulation({
      seed, nodes: 3, heartbeatMs: 50, electionTimeoutMs: [300, 600],
      network: { latency: { minMs: 25, maxMs: 25, tailProbability: 0, tailMeanMs: 0 } },
    });
    electedLeader(simulation);
    const counts = countSends(simulation);
    const startMs = simulation.nowMs;
    const client = steadyClient(simulation, 5, startMs + 5_000);
    simulation.runUntil(startMs + 5_500);
    expect(client.proposed, `seed ${seed}`).toBeGreaterThan(900);
    // Two followers: about 2 copies of each entry (before flow control each one travelled about 10 times per follower).
    expect(counts.entriesCarried / client.proposed, `seed ${seed}`).toBeLessThan(2.1);
  });
});
