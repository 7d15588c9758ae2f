// Real node processes over real ZeroMQ sockets elect exactly one leader, and every node agrees on its term.
import { afterEach, describe, expect, it } from 'vitest';
import { closeAllLabs, ClusterLab, isType } from './cluster-harness';

afterEach(closeAllLabs);

describe('election in a real cluster', () => {
  for (const nodeCount of [3, 5]) {
    it(`a ${nodeCount}-node cluster elects exactly one leader that every node follows`, async () => {
      const lab = await ClusterLab.start({ nodeCount });
      const { leader, snapshot } = await lab.waitForAgreement();
      expect(snapshot.phase).toBe('running');
      expect(snapshot.nodes).toHaveLength(nodeCount);
      expect(snapshot.nodes.filter((node) => node.role === 'leader').map((node) => node.id)).toEqual([leader.id]);
      expect(new Set(snapshot.nodes.map((node) => node.term))).toEqual(new Set([leader.term]));
      expect(snapshot.nodes.every((node) => node.leaderId === leader.id && node.status === 'running')).toBe(true);

      // Election Safety, from the nodes' own reports: at most one became-leader per term over the whole run.
      const winners = new Map<number, Set<number>>();
      for (const event of lab.eventsSince(0, isType('raft'))) {
        if (event.event.kind !== 'became-leader') continue;
        const inTerm = winners.get(event.event.term) ?? new Set<number>();
        inTerm.add(event.node);
        winners.set(event.event.term, inTerm);
      }
      expect(winners.get(leader.term)).toEqual(new Set([leader.id]));
      for (const [term, nodes] of winners) expect(nodes.size, `leaders of term ${term}`).toBe(1);
    });
  }
});
