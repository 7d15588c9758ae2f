// The one condition evaluator, on recorded event streams: each kind of condition is reached when what it names
// happens, and (the negative half) is not reported reached when it has not happened, or happened before the step.
import { describe, expect, it } from 'vitest';
import { EventStream } from '../../component/model/event-builders';
import { evaluate, describeCondition, type StepContext } from '../../../src/protocol/exercise/conditions';
import { conditionSchema, type Condition } from '../../../src/protocol/exercise/schema';
import { World } from '../../../src/protocol/exercise/world';
import type { MessageView } from '../../../src/protocol/events';

const put = (key: string, value: string, seq = 1): string => JSON.stringify({ clientId: 'c', seq, op: 'put', key, value });

/** Three running servers; S1 leads term 2; x=1 is committed on S1 and S2 (S3 has it, uncommitted). */
function cluster(): { stream: EventStream; world: World; context: StepContext } {
  const stream = new EventStream();
  stream.phase('starting');
  for (const id of [1, 2, 3]) stream.status(id, 'running');
  stream.state(1, { role: 'leader', term: 2, leaderId: 1, commitIndex: 2 });
  stream.state(2, { role: 'follower', term: 2, leaderId: 1, commitIndex: 2 });
  stream.state(3, { role: 'follower', term: 2, leaderId: 1, commitIndex: 1 });
  for (const id of [1, 2, 3]) stream.write(id, [{ index: 1, term: 2, command: null }, { index: 2, term: 2, command: put('x', '1') }]);
  stream.phase('running');
  const world = new World();
  for (const event of stream.events) world.apply(event);
  return { stream, world, context: { sinceSeq: world.lastSeq, startLeader: 1, answer: null } };
}

function feed(world: World, stream: EventStream, from: number): void {
  for (const event of stream.events.slice(from)) world.apply(event);
}

const check = (condition: Condition, world: World, context: StepContext): boolean => evaluate(conditionSchema.parse(condition), world, context);

describe('conditions, reached and not reached', () => {
  it('leader: the one leader of the newest term in which a leader is known, optionally a given server, not a given one, from a term on', () => {
    const { world, context, stream } = cluster();
    expect(check({ leader: {} }, world, context)).toBe(true);
    expect(check({ leader: { node: 'S1', termAtLeast: 2 } }, world, context)).toBe(true);
    expect(check({ leader: { notNode: 'startLeader' } }, world, context)).toBe(false);
    expect(check({ leader: { termAtLeast: 3 } }, world, context)).toBe(false);
    // S2 wins term 3 while S1, cut off, still believes it leads term 2: only S2 counts.
    const from = stream.events.length;
    stream.state(2, { role: 'leader', term: 3, leaderId: 2, commitIndex: 2 });
    feed(world, stream, from);
    expect(check({ leader: { node: 'S2', notNode: 'startLeader', termAtLeast: 3 } }, world, context)).toBe(true);
    expect(check({ leader: { node: 'S1' } }, world, context)).toBe(false);
  });

  it('leader: a cut-off follower raising its own term (no pre-vote) does not unseat the leader the majority follows', () => {
    const { world, context, stream } = cluster();
    const from = stream.events.length;
    stream.state(3, { role: 'candidate', term: 5, leaderId: null, commitIndex: 1 });
    feed(world, stream, from);
    expect(check({ leader: { node: 'S1' } }, world, context)).toBe(true);
    // Once a newer election is won, the old leader no longer counts.
    const later = stream.events.length;
    stream.state(3, { role: 'leader', term: 5, leaderId: 3, commitIndex: 1 });
    feed(world, stream, later);
    expect(check({ leader: { node: 'S3', termAtLeast: 5 } }, world, context)).toBe(true);
    expect(check({ leader: { node: 'S1' } }, world, context)).toBe(false);
  });

  it('leader: none while two servers lead the same top term, or the leader is down', () => {
    const { world, context, stream } = cluster();
    const from = stream.events.length;
    stream.status(1, 'crashed');
    feed(world, stream, from);
    expect(check({ leader: {} }, world, context)).toBe(false);
  });

  it('role and status', () => {
    const { world, context, stream } = cluster();
    expect(check({ role: { node: 'S2', is: 'follower' } }, world, context)).toBe(true);
    expect(check({ role: { node: 'S2', is: 'candidate' } }, world, context)).toBe(false);
    expect(check({ status: { node: 'startLeader', is: 'running' } }, world, context)).toBe(true);
    expect(check({ status: { node: 'S3', is: 'crashed' } }, world, context)).toBe(false);
    const from = stream.events.length;
    stream.status(3, 'crashed');
    feed(world, stream, from);
    expect(check({ status: { node: 'S3', is: 'crashed' } }, world, context)).toBe(true);
    expect(check({ role: { node: 'S3', is: 'follower' } }, world, context)).toBe(false); // a crashed server has no role
  });

  it('event: counted since the step began, on a server if named', () => {
    const { world, stream } = cluster();
    stream.raft(2, 'entries-truncated', 2);
    feed(world, stream, stream.events.length - 1);
    const context: StepContext = { sinceSeq: world.lastSeq, startLeader: 1, answer: null };
    expect(check({ event: { type: 'entries-truncated' } }, world, context)).toBe(false); // before the step
    const from = stream.events.length;
    stream.raft(3, 'entries-truncated', 2);
    stream.raft(3, 'entries-truncated', 2);
    feed(world, stream, from);
    expect(check({ event: { type: 'entries-truncated', node: 'S3', count: 2 } }, world, context)).toBe(true);
    expect(check({ event: { type: 'entries-truncated', node: 'S3', count: 3 } }, world, context)).toBe(false);
    expect(check({ event: { type: 'entries-truncated', node: 'S2' } }, world, context)).toBe(false);
  });

  it('message: delivered (or sent, dropped) since the step began, by type, sender and receiver, counted', () => {
    const { world, stream } = cluster();
    const hello = (from: number, to: number, type = 'append_entries'): MessageView => ({ type, from, to, term: 0, fields: {} });
    stream.receive('m0', hello(1, 2));
    feed(world, stream, stream.events.length - 1);
    const context: StepContext = { sinceSeq: world.lastSeq, startLeader: 1, answer: null };
    expect(check({ message: {} }, world, context)).toBe(false); // delivered before the step
    const from = stream.events.length;
    stream.send('m1', hello(1, 3));
    stream.receive('m1', hello(1, 3));
    stream.receive('m2', hello(3, 1, 'append_entries_ok'));
    stream.drop('m3', hello(2, 3, 'request_vote'), 3, 'partitioned');
    feed(world, stream, from);
    expect(check({ message: { to: 'S3' } }, world, context)).toBe(true);
    expect(check({ message: { to: 'S2' } }, world, context)).toBe(false);
    expect(check({ message: { from: 'startLeader', count: 1 } }, world, context)).toBe(true);
    expect(check({ message: { count: 2 } }, world, context)).toBe(true);
    expect(check({ message: { count: 3 } }, world, context)).toBe(false); // the drop and the send are no deliveries
    expect(check({ message: { type: 'append_entries_ok', from: 'S3', to: 'S1' } }, world, context)).toBe(true);
    expect(check({ message: { type: 'request_vote' } }, world, context)).toBe(false);
    expect(check({ message: { type: 'request_vote', direction: 'drop' } }, world, context)).toBe(true);
    expect(check({ message: { direction: 'send', from: 'S1', to: 'S3' } }, world, context)).toBe(true);
    expect(describeCondition({ message: { type: 'request_vote', from: 'S2', count: 2, direction: 'drop' } }))
      .toBe('2 request_vote messages from S2 are dropped');
    expect(describeCondition({ message: { to: 'S1' } })).toBe('a message to S1 is delivered');
  });

  it('committed: on every server, a majority, or one server, by committed entries only', () => {
    const { world, context } = cluster();
    expect(check({ committed: { key: 'x', value: '1', on: 'majority' } }, world, context)).toBe(true);
    expect(check({ committed: { key: 'x', value: '1', on: 'S2' } }, world, context)).toBe(true);
    expect(check({ committed: { key: 'x', value: '1', on: 'all' } }, world, context)).toBe(false); // S3 has not committed it
    expect(check({ committed: { key: 'x', value: '1', on: 'S3' } }, world, context)).toBe(false);
    expect(check({ committed: { key: 'x', value: '2', on: 'majority' } }, world, context)).toBe(false);
  });

  it('client: the last answer since the step began, by operation, outcome and value', () => {
    const { world, context, stream } = cluster();
    const from = stream.events.length;
    stream.add({ type: 'client-op', client: 0, op: 'get', key: 'x', status: 'ok', value: '0', servedBy: 1, latencyMs: 2, callNs: 0, stale: true });
    feed(world, stream, from);
    expect(check({ client: { op: 'get', outcome: 'stale', value: '0' } }, world, context)).toBe(true);
    expect(check({ client: { op: 'get', outcome: 'ok' } }, world, context)).toBe(false);
    expect(check({ client: { op: 'put', outcome: 'stale' } }, world, context)).toBe(false);
    const later: StepContext = { ...context, sinceSeq: world.lastSeq };
    expect(check({ client: { op: 'get', outcome: 'stale' } }, world, later)).toBe(false);
    stream.add({ type: 'client-op', client: 0, op: 'put', key: 'x', status: 'unknown', value: null, servedBy: null, latencyMs: 2, callNs: 0 });
    feed(world, stream, stream.events.length - 1);
    expect(check({ client: { op: 'put', outcome: 'timeout' } }, world, later)).toBe(true);
  });

  it('violation, linearizable and answer', () => {
    const { world, context, stream } = cluster();
    expect(check({ violation: {} }, world, context)).toBe(false);
    expect(check({ linearizable: true }, world, context)).toBe(false);
    const from = stream.events.length;
    stream.add({ type: 'violation', invariant: 'election-safety', statement: 'Election Safety', nodes: [1, 2], terms: [2], indices: [], detail: 'two leaders', bug: null });
    stream.add({ type: 'workload', ops: 10, ok: 9, fail: 0, unknown: 1, linearizable: false });
    feed(world, stream, from);
    expect(check({ violation: { invariant: 'election-safety' } }, world, context)).toBe(true);
    expect(check({ violation: { invariant: 'log-matching' } }, world, context)).toBe(false);
    expect(check({ linearizable: false }, world, context)).toBe(true);
    expect(check({ linearizable: true }, world, context)).toBe(false);
    expect(check({ answer: { is: 'b' } }, world, { ...context, answer: 'a' })).toBe(false);
    expect(check({ answer: { is: 'b' } }, world, { ...context, answer: 'b' })).toBe(true);
  });

  it('all, any and not', () => {
    const { world, context } = cluster();
    const yes: Condition = { leader: {} };
    const no: Condition = { leader: { node: 'S3' } };
    expect(check({ all: [yes, no] }, world, context)).toBe(false);
    expect(check({ all: [yes, { not: no }] }, world, context)).toBe(true);
    expect(check({ any: [no, no] }, world, context)).toBe(false);
    expect(check({ any: [no, yes] }, world, context)).toBe(true);
    expect(check({ not: yes }, world, context)).toBe(false);
  });

  it('says what it checks in words', () => {
    expect(describeCondition({ all: [{ status: { node: 'startLeader', is: 'crashed' } }, { leader: { notNode: 'startLeader' } }] }))
      .toBe('the leader this step began with is crashed, and a server is the leader (not the leader this step began with)');
    expect(describeCondition({ event: { type: 'entries-truncated', node: 'S2' } })).toBe('a server deletes conflicting log entries on S2');
    // The answer is never given away in the goal.
    expect(describeCondition({ answer: { is: 'election-restriction' } })).toBe('the right answer is chosen');
  });
});
