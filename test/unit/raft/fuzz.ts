// A small randomized schedule for the core: random delivery order, loss, duplication, clock jumps, restarts,
// proposals and reads. Returns the first safety violation found (or null). Seeded: every failure replays.

import type { Entry, NodeId } from '../../../src/raft';
import { Cluster, type ClusterOptions } from './cluster';
import { seededRandom } from '../../../src/raft/random';

export const testRandom = seededRandom;


export interface FuzzResult {
  readonly violation: string | null;
  readonly committed: number;
  readonly leadersElected: number;
}

export function fuzz(seed: number, steps: number, options: ClusterOptions = {}, reorderWindow = 4): FuzzResult {
  const random = testRandom(seed);
  const c = new Cluster({ size: 3, favourite: null, seed, ...options });
  const ids = [...c.nodes.keys()];
  const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(random() * items.length)];
  const committedAt = new Map<number, Entry>();
  let proposals = 0;
  const cursor = { at: 0 };
  for (let step = 0; step < steps; step++) {
    const roll = random();
    if (roll < 0.55 && c.network.length > 0) {
      const at = Math.floor(random() * Math.min(c.network.length, reorderWindow));
      const [message] = c.network.splice(at, 1);
      if (message !== undefined && random() > 0.1) {
        if (random() < 0.05) c.network.push(message); // duplicate
        c.deliver(message);
      }
    } else if (roll < 0.8) {
      c.nowMs += Math.floor(random() * 30);
      for (const id of ids) c.tick(id, c.nowMs);
    } else if (roll < 0.93) {
      const leader = c.leader();
      if (leader !== null) {
        c.node(leader).propose(`v${proposals++}`);
        c.drain(leader);
      }
    } else if (roll < 0.96) {
      const id = pick(ids);
      if (id !== undefined) {
        c.node(id).readIndex(`r${step}`);
        c.drain(id);
      }
    } else if (roll < 0.98) {
      const id = pick(ids);
      if (id !== undefined) c.restart(id);
    }
    const violation = checkSafety(c, cursor, committedAt);
    if (violation !== null) return { violation: `step ${step}: ${violation}`, committed: committedAt.size, leadersElected: 0 };
  }
  const leaders = c.events.filter((e) => e.kind === 'became-leader');
  const terms = new Map<number, NodeId>();
  for (const e of leaders) {
    const other = terms.get(e.term);
    if (other !== undefined && other !== e.node) {
      return { violation: `two leaders in term ${e.term}: S${other} and S${e.node}`, committed: committedAt.size, leadersElected: leaders.length };
    }
    terms.set(e.term, e.node);
  }
  return { violation: null, committed: committedAt.size, leadersElected: leaders.length };
}

/** State Machine Safety: every server applies the same entry at each index. */
function checkSafety(c: Cluster, cursor: { at: number }, committedAt: Map<number, Entry>): string | null {
  for (; cursor.at < c.appliedHistory.length; cursor.at++) {
    const applied = c.appliedHistory[cursor.at];
    if (applied === undefined) break;
    const { node, entry } = applied;
    const known = committedAt.get(entry.index);
    if (known === undefined) committedAt.set(entry.index, entry);
    else if (known.term !== entry.term || known.command !== entry.command) {
      return `S${node} applied ${JSON.stringify(entry)} but ${JSON.stringify(known)} was applied at index ${entry.index} before`;
    }
  }
  return null;
}
