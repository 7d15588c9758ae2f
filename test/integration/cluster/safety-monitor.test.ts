// The lab's safety monitor on real node processes: two followers time out at once (the cluster paused meanwhile, so
// that neither hears the other first) and the old leader hears both candidates of the new term. With the planted bug
// double-vote it grants both votes, and the lab publishes the violation, naming the bug, and keeps running; correct
// Raft grants one, and the monitor stays silent.
import { afterEach, describe, expect, it } from 'vitest';
import type { LabEvent } from '../../../src/protocol/events';
import type { NodeId } from '../../../src/raft/types';
import { agreedLeader, closeAllLabs, ClusterLab, eventually, isType, putRetryingUnknown } from './cluster-harness';

afterEach(closeAllLabs);

/** Every node holds the same log (idle, after a write): any candidate is up to date for any voter. */
async function settledLeader(lab: ClusterLab): Promise<{ leader: NodeId; followers: NodeId[]; term: number }> {
  await lab.waitForLeader();
  const written = (await putRetryingUnknown(lab, 'x', '1')).index ?? 0;
  // Up to the write's entry at least: the lab's views come over the control channel, the put's ok over the client
  // socket, so right after the ok they may still show the log as it was (equal and committed, but without the write).
  await eventually(async () => {
    const nodes = (await lab.snapshot()).nodes;
    const lastIndex = nodes[0]?.lastLogIndex ?? 0;
    return lastIndex >= written && nodes.every((node) => node.lastLogIndex === lastIndex && node.commitIndex === lastIndex) ? true : null;
  }, 10_000, `every node to hold and commit the same log, up to the write at ${written} at least`, () => lab.describe());
  // The leader as agreed after the write (one sent again went to a new leader).
  const leader = await lab.waitForLeader();
  const followers = (await lab.snapshot()).nodes.map((node) => node.id).filter((id) => id !== leader.id);
  return { leader: leader.id, followers, term: leader.term };
}

async function splitVote(lab: ClusterLab, candidates: readonly NodeId[]): Promise<void> {
  await lab.controller.freezeCluster();
  for (const candidate of candidates) await lab.controller.timeoutNode(candidate);
  await lab.controller.resumeCluster();
}

describe('the safety monitor on real processes', () => {
  it('double-vote: a server grants two candidates of one term; the lab reports one vote per term broken, names the bug, keeps running', async () => {
    const lab = await ClusterLab.start({ nodeCount: 3, bugs: ['double-vote'] });
    const isVoteBreach = (event: LabEvent): event is Extract<LabEvent, { type: 'violation' }> =>
      event.type === 'violation' && event.invariant === 'one-vote-per-term';
    // The bug may bite in the very first election already (two servers time out together); otherwise a split vote
    // provokes it: the old leader hears both candidates.
    const early = await eventually(async () => lab.eventsSince(0, isVoteBreach)[0] ??
      (agreedLeader(await lab.snapshot()) === null ? null : 'agreed'), 10_000, 'a violation or an agreed leader', () => lab.describe());
    if (early === 'agreed') {
      const { followers } = await settledLeader(lab);
      await splitVote(lab, followers);
      await lab.waitForEvent(0, isVoteBreach, 'a one-vote-per-term violation');
    }
    const violation = lab.eventsSince(0, isVoteBreach)[0];
    expect(violation?.bug).toBe('double-vote');
    expect(violation?.nodes).toHaveLength(3);
    expect(violation?.terms).toHaveLength(1);
    expect(violation?.statement).toMatch(/votes for at most one candidate/);
    // One event per invariant, and the lab goes on: the nodes keep reporting.
    const after = lab.mark();
    await lab.waitForEvent(after, isType('node-state'), 'a node report after the violation');
    expect((await lab.snapshot()).phase).toBe('running');
    const invariants = lab.eventsSince(0, isType('violation')).map((event) => event.invariant);
    expect(new Set(invariants).size).toBe(invariants.length);
  });

  it('correct Raft: the same split vote elects one leader and the monitor stays silent', async () => {
    const lab = await ClusterLab.start({ nodeCount: 3 });
    const { followers, term } = await settledLeader(lab);
    const from = lab.mark();
    await splitVote(lab, followers);
    await lab.waitForLeader({ minTerm: term + 1 });
    expect((await lab.put('y', '2')).status).toBe('ok');
    await settledLeader(lab);
    expect(lab.eventsSince(0, isType('violation'))).toEqual([]);
    expect(lab.eventsSince(from, isType('raft')).filter((event) => event.event.kind === 'vote-granted').length).toBeGreaterThan(0);
  });
});
