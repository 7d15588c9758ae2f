// A message no correct server sends is refused whole, before it changes anything (src/raft/message-checks.ts):
// a peer may be buggy, forged or not a peer at all, and the core must neither half-handle it nor throw. The same
// rules guard the wire (test/unit/protocol/fast-checks.test.ts) and a running node process
// (test/integration/cluster/peer-frame-fuzz.test.ts).

import { describe, expect, it } from 'vitest';
import type { Message, RaftNode, RaftStatus } from '../../../src/raft';
import { MAX_MESSAGE_TERM, messageProblem } from '../../../src/raft/message-checks';
import { RULE } from '../../../src/raft/reasons';
import { Cluster, persisted } from './cluster';
import { appendEntries, appendReply, drain, entry, installSnapshot, makeLeader, newNode, requestVote, snapshotReply, voteReply } from './messages';
import { testRandom } from './fuzz';

const stateOf = (node: RaftNode): { status: RaftStatus; log: unknown } => ({ status: node.status(), log: node.log() });

/** Steps `message` into `node` and expects it to be refused: nothing but one invalid-message event comes out. */
function expectRefused(node: RaftNode, message: Message, problem: RegExp): void {
  drain(node);
  const before = stateOf(node);
  expect(() => node.step(message)).not.toThrow();
  const ready = drain(node);
  expect(stateOf(node)).toEqual(before);
  expect(ready.messages).toEqual([]);
  expect(ready.persist).toMatchObject({ hardState: null, snapshot: null, entries: [] });
  expect(ready.events).toHaveLength(1);
  expect(ready.events[0]).toMatchObject({ kind: 'message-ignored', rule: RULE.invalidMessage });
  expect(ready.events[0]?.reason).toMatch(problem);
}

describe('a message no correct server sends is refused whole and changes nothing', () => {
  it('an AppendEntries entry with term 0 no longer raises the term, truncates, and then throws (Figure 2: entries carry their leader\'s terms)', () => {
    // The follower holds 1..3 of term 1, nothing committed; the frame's term 3 is newer and its entry conflicts at 3.
    const follower = newNode(1, persisted(1, null, [1, 1, 1]));
    expectRefused(follower, appendEntries(2, 1, 3, 2, 1, [entry(3, 0)]), /entry 3 has term 0, outside \[1, term 3\]/);
    expect(follower.status()).toMatchObject({ term: 1, lastLogIndex: 3, votedFor: null, role: 'follower' });
  });

  it.each<[string, Message, RegExp]>([
    ['entries that skip an index', appendEntries(2, 1, 2, 0, 0, [entry(1, 1), entry(3, 1)]), /entry 1 has index 3, expected 2/],
    ['entry terms that decrease', appendEntries(2, 1, 2, 0, 0, [entry(1, 2), entry(2, 1)]), /entry 2 has term 1, outside \[2, term 2\]/],
    ['an entry of a later term than the leader\'s', appendEntries(2, 1, 2, 0, 0, [entry(1, 3)]), /entry 1 has term 3/],
    ['prevLogTerm 0 at prevLogIndex 2', appendEntries(2, 1, 2, 2, 0), /prevLogTerm is 0 exactly when prevLogIndex is 0/],
    ['prevLogTerm 1 at prevLogIndex 0', appendEntries(2, 1, 2, 0, 1), /prevLogTerm is 0 exactly when prevLogIndex is 0/],
    ['prevLogTerm beyond the message term', appendEntries(2, 1, 2, 3, 5), /prevLogTerm 5 outside \[0, term 2\]/],
    ['AppendEntries of term 0', appendEntries(2, 1, 0, 0, 0), /AppendEntries of term 0/],
    ['a term past the bound', appendEntries(2, 1, MAX_MESSAGE_TERM + 1, 0, 0), /term \d+ is not an integer/],
    ['a term four billion elections ahead of ours', requestVote(2, 1, 2 ** 32 + 2, 0, 0), /more than 4294967296 terms ahead of ours \(1\)/],
    ['a message to another server', appendEntries(2, 3, 2, 0, 0), /addressed to S3, not to S1/],
    // Any server id may send (configurations change: a leader the receiver's configuration does not know yet).
    ['a message from server id 0', appendEntries(0, 1, 2, 0, 0), /S0 is not a peer of S1/],
    ['a message from itself', requestVote(1, 1, 2, 0, 0), /S1 is not a peer of S1/],
    ['RequestVote for term 0', requestVote(2, 1, 0, 0, 0), /RequestVote for term 0/],
    ['RequestVote whose log ends in a later term', requestVote(2, 1, 2, 4, 3), /lastLogTerm 3 outside \[0, term 2\]/],
    ['a granted vote of term 0', voteReply(2, 1, 0, true), /a granted vote of term 0/],
    ['InstallSnapshot with lastIncludedTerm beyond its term', installSnapshot(2, 1, 2, 5, 3, 'x'), /lastIncludedTerm 3 outside \[1, term 2\]/],
    ['InstallSnapshot with a negative offset', installSnapshot(2, 1, 2, 5, 1, 'x', { offset: -1 }), /offset -1/],
    ['a success reply with a conflict hint', appendReply(2, 1, 2, true, 3, { conflictTerm: 1, conflictIndex: 2 }), /no conflict hint/],
    ['a rejection with a matchIndex', appendReply(2, 1, 2, false, 3, { conflictIndex: 2 }), /matchIndex 0, not 3/],
    ['a rejection hint of a later term', appendReply(2, 1, 2, false, 0, { conflictTerm: 3, conflictIndex: 2 }), /conflictTerm 3 outside/],
    ['InstallSnapshotReply of term 0', snapshotReply(2, 1, 0, 5, 0, false), /InstallSnapshotReply of term 0/],
  ])('%s', (_name, message, problem) => {
    expectRefused(newNode(1, persisted(1, null, [1, 1, 1])), message, problem);
  });

  it('not even an object: refused without a throw', () => {
    expectRefused(newNode(1, persisted(1, null, [1, 1, 1])), null as unknown as Message, /not a message/);
  });

  it('a pre-vote denial may carry term 0 (the voter\'s own term): valid', () => {
    expect(messageProblem(voteReply(2, 1, 0, false, true))).toBeNull();
  });
});

describe('a valid-looking message that contradicts what the server knows for certain is refused too (correct Raft only)', () => {
  it('an AppendEntries of a newer term whose entries conflict with committed ones (Leader Completeness): our term and log stay', () => {
    const c = new Cluster({ favourite: 1 });
    c.electLeader();
    c.node(1).propose('x');
    c.run(50); // 1..2 committed everywhere (the no-op, then x), term 1
    const follower = c.node(2);
    expect(follower.status().commitIndex).toBe(2);
    expectRefused(follower, appendEntries(3, 2, 5, 1, 1, [entry(2, 4)]), /entry 2 has term 4, but our entry 2 is committed with term 1/);
    expectRefused(follower, appendEntries(3, 2, 5, 2, 3), /prevLogIndex 2 has term 3, but our entry 2 is committed with term 1/);
    expectRefused(follower, installSnapshot(3, 2, 5, 2, 2, 's'), /lastIncludedIndex 2 has term 2, but our entry 2 is committed/);
    expect(follower.status().term).toBe(1);
  });

  it('"at most one leader can be elected in a given term" (§5.2): an AppendEntries of our term from another server is refused', () => {
    const c = new Cluster({ favourite: 1 });
    c.electLeader();
    expectRefused(c.node(1), appendEntries(2, 1, 1, 0, 0), /S2 claims to lead term 1, whose leader is S1/);
    expectRefused(c.node(3), appendEntries(2, 3, 1, 0, 0), /S2 claims to lead term 1, whose leader is S1/);
  });

  it('replies to the leader about entries, snapshots or read rounds it never sent are refused', () => {
    const leader = makeLeader(persisted(1, null, [1, 1]));
    drain(leader);
    expectRefused(leader, appendReply(2, 1, 2, true, 9), /match our log up to 9, but our log ends at 3/);
    expectRefused(leader, appendReply(2, 1, 2, true, 0, { readRound: 2 ** 40 }), /read round 1099511627776/);
    expectRefused(leader, snapshotReply(2, 1, 2, 9, 4, true), /snapshot through 9, but our log ends at 3/);
  });
});

describe('fuzz: random and mutated messages at the cores of a running cluster', () => {
  const SEED = 20_260_717;

  it('never throw, and the cluster still elects a leader and commits (seed printed)', () => {
    const random = testRandom(SEED);
    const int = (max: number): number => Math.floor(random() * max);
    const odd = [-1, 0, 1, 2, 3, 7, 1.5, NaN, 2 ** 53, MAX_MESSAGE_TERM + 1, 'x', null, true, [], {}];
    const c = new Cluster({ favourite: 1, maxSnapshotChunkChars: 4 });
    c.electLeader();
    const sample: Message[] = [];
    let thrown = 0;
    for (let round = 0; round < 3000; round++) {
      c.node(c.leader() ?? 1).propose(`v${round}`);
      c.run(int(20));
      if (round % 200 === 0) {
        for (const id of c.nodes.keys()) {
          const status = c.node(id).status();
          if (status.lastApplied > status.snapshotIndex + 2) c.node(id).compact(status.lastApplied - 1, `state ${status.lastApplied - 1}`);
          c.drain(id);
        }
      }
      for (const readies of c.readies.values()) {
        sample.push(...readies.slice(-2).flatMap((ready) => ready.messages));
        readies.length = 0;
      }
      if (sample.length > 200) sample.splice(0, sample.length - 200);
      const base = sample[int(sample.length)];
      if (base === undefined) continue;
      const mutated: Record<string, unknown> = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
      const keys = Object.keys(mutated).filter((key) => key !== 'type');
      const key = keys[int(keys.length)] as string;
      mutated[key] = random() < 0.5 ? odd[int(odd.length)] : (typeof mutated[key] === 'number' ? (mutated[key] as number) + int(5) - 2 : mutated[key]);
      if (Array.isArray(mutated['entries']) && random() < 0.5) {
        mutated['entries'] = (mutated['entries'] as Record<string, unknown>[]).map((e) => ({ ...e, term: int(4) }));
      }
      const to = Number(mutated['to']);
      const target = c.nodes.get(to) ?? c.node(1 + int(3));
      try {
        target.step(mutated as unknown as Message);
      } catch (error) {
        thrown += 1;
        throw new Error(`seed ${SEED}, round ${round}: ${JSON.stringify(mutated)} threw: ${(error as Error).message}`);
      }
      c.drainAll();
    }
    expect(thrown, `seed ${SEED}`).toBe(0);
    const refused = c.events.filter((event) => event.rule === RULE.invalidMessage).length;
    expect(refused, `seed ${SEED}: some mutations are refused as invalid`).toBeGreaterThan(100);
    c.run(2000);
    const leader = c.electLeader();
    const before = c.node(leader).status().commitIndex;
    c.node(leader).propose('after the fuzz');
    c.run(200);
    expect(c.node(leader).status().commitIndex, `seed ${SEED}`).toBeGreaterThan(before);
  });
});
