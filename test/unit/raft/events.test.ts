// Every state change carries its reason: the rule that fired and the values that made it fire.

import { describe, expect, it } from 'vitest';
import type { EventKind } from '../../../src/raft';
import { Cluster } from './cluster';

describe('events', () => {
  it('Every event names its node, term, a rule and a reason, and carries only scalar data', () => {
    const c = new Cluster({ size: 5, favourite: null, seed: 5, preVote: true, checkQuorum: true });
    const leader = c.electLeader();
    for (let i = 0; i < 5; i++) c.node(leader).propose(`p${i}`);
    c.node(leader).readIndex('r');
    c.node(leader === 1 ? 2 : 1).readIndex('r2');
    c.node(leader === 1 ? 2 : 1).propose('nope');
    c.run(50);
    c.isolate(leader);
    c.run(1000);
    c.heal();
    c.run(1000);
    expect(c.events.length).toBeGreaterThan(50);
    for (const event of c.events) {
      expect(event.rule.length, JSON.stringify(event)).toBeGreaterThan(2);
      expect(event.reason.length, JSON.stringify(event)).toBeGreaterThan(10);
      expect(c.nodes.has(event.node)).toBe(true);
      for (const value of Object.values(event.data)) expect(['string', 'number', 'boolean'].includes(typeof value) || value === null).toBe(true);
    }
    const kinds = new Set(c.events.map((e) => e.kind));
    const expected: EventKind[] = [
      'term-changed', 'role-changed', 'election-started', 'vote-granted', 'vote-received', 'became-leader',
      'stepped-down', 'entries-appended', 'append-accepted', 'commit-advanced', 'proposal-accepted',
      'proposal-rejected', 'read-confirmed', 'read-failed',
    ];
    for (const kind of expected) expect(kinds.has(kind), kind).toBe(true);
  });
});
