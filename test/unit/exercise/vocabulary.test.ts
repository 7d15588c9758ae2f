// The exercise vocabulary added for the built-in exercises: `stored` (an entry in a log, committed or not) and the
// client's `timeoutMs` on put/get actions (the app's client box has the same field).
import { describe, expect, it } from 'vitest';
import { EventStream } from '../../component/model/event-builders';
import { performAction, type ActionContext } from '../../../src/protocol/exercise/actions';
import { describeCondition, evaluate, type StepContext } from '../../../src/protocol/exercise/conditions';
import { actionSchema, conditionSchema, type Condition } from '../../../src/protocol/exercise/schema';
import { World } from '../../../src/protocol/exercise/world';
import type { CallableLabApi } from '../../../src/protocol/lab-methods';
import type { ClientRequest } from '../../../src/protocol/lab-api';

const write = (command: object): string => JSON.stringify({ clientId: 'c', seq: 1, ...command });

/**
 * S1 leads term 1 and holds x=old at index 2, uncommitted; S2 holds it too; S3 (another term's leader) holds x=new
 * at index 2, committed, and y=2 by a cas.
 */
function divergent(): { stream: EventStream; world: World; context: StepContext } {
  const stream = new EventStream();
  stream.phase('starting');
  for (const id of [1, 2, 3]) stream.status(id, 'running');
  stream.state(1, { role: 'leader', term: 1, leaderId: 1, commitIndex: 1 });
  stream.state(2, { role: 'follower', term: 1, leaderId: 1, commitIndex: 1 });
  stream.state(3, { role: 'leader', term: 2, leaderId: 3, commitIndex: 3 });
  for (const id of [1, 2]) stream.write(id, [{ index: 1, term: 1, command: null }, { index: 2, term: 1, command: write({ op: 'put', key: 'x', value: 'old' }) }]);
  stream.write(3, [{ index: 1, term: 1, command: null }, { index: 2, term: 2, command: write({ op: 'put', key: 'x', value: 'new' }) },
    { index: 3, term: 2, command: write({ op: 'cas', key: 'y', from: '1', to: '2' }) }]);
  stream.phase('running');
  const world = new World();
  for (const event of stream.events) world.apply(event);
  return { stream, world, context: { sinceSeq: world.lastSeq, startLeader: 3, answer: null } };
}

const check = (condition: Condition, world: World, context: StepContext): boolean => evaluate(conditionSchema.parse(condition), world, context);

describe('stored: a write in the log, committed or not', () => {
  it('counts uncommitted entries, on one server, a majority or all', () => {
    const { world, context } = divergent();
    expect(check({ stored: { key: 'x', value: 'old', on: 'S1' } }, world, context)).toBe(true);
    expect(check({ stored: { key: 'x', value: 'old', on: 'majority' } }, world, context)).toBe(true);
    expect(check({ committed: { key: 'x', value: 'old', on: 'S1' } }, world, context)).toBe(false);
    expect(check({ stored: { key: 'x', value: 'old', on: 'all' } }, world, context)).toBe(false);
    expect(check({ stored: { key: 'x', value: 'old', on: 'S3' } }, world, context)).toBe(false);
    expect(check({ stored: { key: 'x', value: 'new', on: 'majority' } }, world, context)).toBe(false);
    expect(check({ stored: { key: 'y', value: '2', on: 'S3' } }, world, context)).toBe(true); // a cas writes its `to`
    expect(check({ stored: { key: 'y', value: '1', on: 'S3' } }, world, context)).toBe(false);
  });

  it('forgets an entry the log no longer holds (overwritten after a conflict)', () => {
    const { stream, world, context } = divergent();
    const from = stream.events.length;
    stream.write(1, [{ index: 2, term: 2, command: write({ op: 'put', key: 'x', value: 'new' }) }]);
    for (const event of stream.events.slice(from)) world.apply(event);
    expect(check({ stored: { key: 'x', value: 'old', on: 'S1' } }, world, context)).toBe(false);
    expect(check({ stored: { key: 'x', value: 'old', on: 'majority' } }, world, context)).toBe(false);
    expect(check({ stored: { key: 'x', value: 'new', on: 'majority' } }, world, context)).toBe(true);
  });

  it('is described in words and refuses unknown fields', () => {
    expect(describeCondition({ stored: { key: 'x', value: 'old', on: 'majority' } })).toBe('x=old is in the log of a majority');
    expect(conditionSchema.safeParse({ stored: { key: 'x', value: '1', on: 'S1', committed: true } }).success).toBe(false);
  });
});

describe('put and get: the client timeout', () => {
  function recordingContext(requests: ClientRequest[]): ActionContext {
    const api = { clientRequest: async (request: ClientRequest) => {
      requests.push(request);
      return { status: 'unknown', value: null, servedBy: null, latencyMs: 0, error: null, index: null };
    } } as unknown as CallableLabApi;
    return {
      api, world: new World(), step: () => ({ sinceSeq: -1, startLeader: null, answer: null }),
      waitFor: async () => undefined, sleep: async () => undefined, answer: () => undefined, remainingMs: () => 1000,
      settle: async () => undefined,
    };
  }

  it('passes timeoutMs to the client, and leaves it out when absent', async () => {
    const requests: ClientRequest[] = [];
    const context = recordingContext(requests);
    await performAction(actionSchema.parse({ put: { key: 'x', value: '1', via: 'S2', timeoutMs: 500 } }), context);
    await performAction(actionSchema.parse({ get: { key: 'x', via: 'S1', timeoutMs: 300 } }), context);
    await performAction(actionSchema.parse({ get: { key: 'x' } }), context);
    expect(requests).toEqual([
      { op: 'put', key: 'x', value: '1', node: 2, timeoutMs: 500 },
      { op: 'get', key: 'x', node: 1, timeoutMs: 300 },
      { op: 'get', key: 'x' },
    ]);
  });

  it('accepts the bounds the lab accepts', () => {
    expect(actionSchema.safeParse({ get: { key: 'x', timeoutMs: 5 } }).success).toBe(false);
    expect(actionSchema.safeParse({ get: { key: 'x', timeoutMs: 120_001 } }).success).toBe(false);
    expect(actionSchema.safeParse({ put: { key: 'x', value: 'v', timeoutMs: 10 } }).success).toBe(true);
  });
});

describe('membership and leadership-transfer actions', () => {
  it('call the lab with the server the action names, "leader" and "follower" resolved when it runs', async () => {
    const calls: unknown[][] = [];
    const record = (name: string) => async (...params: unknown[]) => {
      calls.push([name, ...params]);
      return name === 'addServer' ? 4 : undefined;
    };
    const api = { addServer: record('addServer'), removeServer: record('removeServer'), promoteServer: record('promoteServer'),
      transferLeadership: record('transferLeadership') } as unknown as CallableLabApi;
    const { world } = divergent(); // S3 leads term 2
    const context: ActionContext = {
      api, world, step: () => ({ sinceSeq: -1, startLeader: null, answer: null }), waitFor: async () => undefined,
      sleep: async () => undefined, answer: () => undefined, remainingMs: () => 1000, settle: async () => undefined,
    };
    for (const action of [{ 'add-server': true }, { 'promote-server': 'S4' }, { 'transfer-leadership': 'S2' }, { 'remove-server': 'leader' }]) {
      await performAction(actionSchema.parse(action), context);
    }
    expect(calls).toEqual([['addServer'], ['promoteServer', 4], ['transferLeadership', 2], ['removeServer', 3]]);
  });

  it('are validated like every action: a server name, or true for add-server', () => {
    expect(actionSchema.safeParse({ 'transfer-leadership': 'S10' }).success).toBe(false);
    expect(actionSchema.safeParse({ 'transfer-leadership': 2 }).success).toBe(false);
    expect(actionSchema.safeParse({ 'remove-server': 'everyone' }).success).toBe(false);
    expect(actionSchema.safeParse({ 'add-server': 'S4' }).success).toBe(false);
    expect(actionSchema.safeParse({ 'add-server': true, 'remove-server': 'S1' }).success).toBe(false);
  });
});
