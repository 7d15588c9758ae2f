// The lab's KV client and its session (dissertation §6.3), against a scripted node: it registers before its first
// write and sends the session with each write; a write whose session is not open was not applied by that request,
// so the client sends it again in a new session when no earlier attempt can have been applied, and otherwise reports
// the outcome as unknown (never guessing "done", never re-applying).
import { describe, expect, it } from 'vitest';
import { KvClient, type KvClientContext } from '../../../src/lab/client/kv-client';
import type { NodeConnections } from '../../../src/lab/client/node-connections';
import { SESSION_NEVER_OPENED_ERROR, type ClientReplyFrame, type ClientRequestFrame } from '../../../src/protocol/client';

type Answer = Omit<ClientReplyFrame, 'v' | 'requestId' | 'node'> | null;

/** A one-node cluster whose answers the test scripts: each request takes the next answer (null: no answer). */
function scripted(answers: Answer[]) {
  const sent: ClientRequestFrame[] = [];
  const connections = {
    request: (_node: number, frame: ClientRequestFrame): Promise<ClientReplyFrame | null> => {
      sent.push(frame);
      const answer = answers.shift();
      if (answer === undefined) throw new Error(`no answer scripted for ${JSON.stringify(frame)}`);
      return Promise.resolve(answer === null ? null : { v: 1, requestId: frame.requestId, node: 1, ...answer });
    },
  } as unknown as NodeConnections;
  const context: KvClientContext = { connections, liveNodes: () => [1], leaderGuess: () => 1, timeScale: () => 1 };
  return { client: new KvClient(context, 'c-test'), sent };
}

const ok = (index: number): Answer => ({ status: 'ok', value: null, leaderHint: null, index, error: null });
const expired: Answer = { status: 'session-expired', value: null, leaderHint: null, index: 9, error: 'expired' };

describe('KvClient sessions (dissertation §6.3)', () => {
  it('"clients register with the cluster" before their first write; each write carries the session and the next seq', async () => {
    const { client, sent } = scripted([ok(4), ok(5), ok(6), { status: 'ok', value: 'b', leaderHint: null, index: 6, error: null }]);
    expect(await client.request({ op: 'put', key: 'x', value: 'a' })).toMatchObject({ status: 'ok', index: 5 });
    expect(await client.request({ op: 'put', key: 'x', value: 'b' })).toMatchObject({ status: 'ok', index: 6 });
    expect(await client.request({ op: 'get', key: 'x' })).toMatchObject({ status: 'ok', value: 'b' });
    expect(sent.map(({ op, session, seq }) => ({ op, session, seq }))).toEqual([
      { op: 'register', session: undefined, seq: 0 }, { op: 'put', session: 4, seq: 1 }, { op: 'put', session: 4, seq: 2 },
      { op: 'get', session: undefined, seq: 0 },
    ]);
  });

  it('a write refused as session-expired by every attempt was applied nowhere: it is sent again in a new session', async () => {
    const { client, sent } = scripted([ok(4), ok(5), expired, ok(8), ok(9)]);
    await client.request({ op: 'put', key: 'x', value: 'a' });
    expect(await client.request({ op: 'put', key: 'x', value: 'b' })).toMatchObject({ status: 'ok', index: 9 });
    expect(sent.slice(2).map(({ op, session, seq }) => ({ op, session, seq }))).toEqual([
      { op: 'put', session: 4, seq: 2 }, { op: 'register', session: undefined, seq: 0 }, { op: 'put', session: 8, seq: 1 },
    ]);
  });

  it('after an unanswered attempt, session-expired means the outcome is unknown; the next write opens a new session', async () => {
    const { client, sent } = scripted([ok(4), null, expired, ok(12), ok(13)]);
    const result = await client.request({ op: 'put', key: 'x', value: 'a' });
    expect(result).toMatchObject({ status: 'unknown', index: null });
    expect(result.error).toMatch(/session 4 expired: this request was not applied, an earlier attempt may have been/);
    expect(await client.request({ op: 'put', key: 'y', value: 'b' })).toMatchObject({ status: 'ok', index: 13 });
    expect(sent.map(({ op, session, seq }) => ({ op, session, seq }))).toEqual([
      { op: 'register', session: undefined, seq: 0 }, { op: 'put', session: 4, seq: 1 }, { op: 'put', session: 4, seq: 1 },
      { op: 'register', session: undefined, seq: 0 }, { op: 'put', session: 12, seq: 1 },
    ]);
  });

  it('forgetSession (a new cluster) makes the next write register first', async () => {
    const { client, sent } = scripted([ok(2), ok(3), ok(2), ok(3)]);
    await client.request({ op: 'put', key: 'x', value: 'a' });
    client.forgetSession();
    await client.request({ op: 'put', key: 'x', value: 'a' });
    expect(sent.map(({ op }) => op)).toEqual(['register', 'put', 'register', 'put']);
  });
});

describe('KvClient, a session that never opened (its register entry lost with a leader change)', () => {
  const neverOpened: Answer = { status: 'session-expired', value: null, leaderHint: null, index: 9, error: SESSION_NEVER_OPENED_ERROR };

  it('after an unanswered attempt, sends the write again in a new session: no attempt of it can ever be applied', async () => {
    const { client, sent } = scripted([ok(4), null, neverOpened, ok(12), ok(13)]);
    expect(await client.request({ op: 'put', key: 'x', value: 'a' })).toMatchObject({ status: 'ok', index: 13 });
    expect(sent.map(({ op, session, seq }) => ({ op, session, seq }))).toEqual([
      { op: 'register', session: undefined, seq: 0 }, { op: 'put', session: 4, seq: 1 }, { op: 'put', session: 4, seq: 1 },
      { op: 'register', session: undefined, seq: 0 }, { op: 'put', session: 12, seq: 1 },
    ]);
  });

  it('but a later session that did open and expired, after an unanswered attempt in it, still means unknown', async () => {
    const { client, sent } = scripted([ok(4), null, neverOpened, ok(12), null, expired]);
    const result = await client.request({ op: 'put', key: 'x', value: 'a' });
    expect(result).toMatchObject({ status: 'unknown', index: null });
    expect(result.error).toMatch(/session 12 expired: this request was not applied, an earlier attempt may have been/);
    expect(sent.map(({ op, session }) => `${op} ${session ?? ''}`)).toEqual(['register ', 'put 4', 'put 4', 'register ', 'put 12', 'put 12']);
  });

  it('never takes a dropped session id again: a later write would share its (session, seq) with an abandoned attempt', async () => {
    // A deposed leader handed out session 4 before its register committed, and the write landed at an index below 4
    // (session-expired); one attempt went unanswered, so the write's outcome is unknown and that attempt may still be
    // in flight. The next register lands on index 4 again: sent as (4, 1), the next write would be answered with the
    // cached result of the abandoned (4, 1) if that one committed first, a write reported done that never happened.
    const { client, sent } = scripted([ok(4), null, expired, ok(4), ok(6), ok(7)]);
    expect(await client.request({ op: 'put', key: 'x', value: 'a' })).toMatchObject({ status: 'unknown' });
    expect(await client.request({ op: 'put', key: 'y', value: 'b' })).toMatchObject({ status: 'ok', index: 7 });
    expect(sent.map(({ op, session, seq }) => `${op} ${session ?? '-'} ${seq}`)).toEqual([
      'register - 0', 'put 4 1', 'put 4 1', 'register - 0', 'register - 0', 'put 6 1',
    ]);
  });

  it('a new cluster (forgetSession) forgets the dropped ids: its log is another', async () => {
    const { client, sent } = scripted([ok(4), neverOpened, ok(5), ok(6), ok(4), ok(5)]);
    await client.request({ op: 'put', key: 'x', value: 'a' });
    client.forgetSession();
    expect(await client.request({ op: 'put', key: 'x', value: 'b' })).toMatchObject({ status: 'ok', index: 5 });
    expect(sent.slice(4).map(({ op, session }) => `${op} ${session ?? '-'}`)).toEqual(['register -', 'put 4']);
  });
});
