// The hand-written checks on the hot paths (peer frames, client frames, node events) stand in for the zod schemas,
// which stay the definition. They may be stricter than a schema (the schema then decides), never looser: here
// thousands of valid values and mutations of them go through both, and whatever a fast check accepts the schema
// must accept unchanged. The valid values themselves must pass the fast check, or it would never be used.
import { describe, expect, it } from 'vitest';
import { isPeerFrame, MAX_SNAPSHOT_CHUNK_CHARS, type PeerFrame } from '../../../src/protocol/wire';
import { peerFrameSchema } from './reference/wire-schema';
import { isClientReplyFrame, isClientRequestFrame } from '../../../src/protocol/client';
import { clientReplyFrameSchema } from '../../../src/protocol/client-schema';
import { clientRequestFrameSchema } from './reference/client-request-schema';
import { labEventSchema } from '../../../src/protocol/events';
import { isFrequentEventOf, validateNodeEvent } from '../../../src/lab/node-event-intake';
import { seededRandom } from '../../../src/raft/random';
import { paths, type Json } from './agreement';

const seeded = seededRandom;

const ODD_VALUES: unknown[] = [
  -1, 0, 1, 1.5, 25, 26, 2 ** 53, -0, 1e308, '', 'x', 'x'.repeat(65), 'x'.repeat(257), 'x'.repeat(1025), 'x'.repeat(4097),
  '😀'.repeat(40), null, true, false, [], {}, [1], { a: 1 }, 'AppendEntries', 'leader', 'put', 'ok', 'send', '12', '123',
  'InstallSnapshot', 'InstallSnapshotReply', 'snapshot-installed', 'x'.repeat(MAX_SNAPSHOT_CHUNK_CHARS + 1),
  '😀'.repeat(MAX_SNAPSHOT_CHUNK_CHARS / 2 + 1), // within the schema's code-point bound, past the fast check's units
];

/** A copy of `value` with one change at a random path: replaced, deleted, or given an extra key. */
function mutate(value: Json, random: () => number): Json {
  const copy = JSON.parse(JSON.stringify(value)) as Json;
  const all = paths(copy);
  const path = all[Math.floor(random() * all.length)] ?? [];
  const odd = ODD_VALUES[Math.floor(random() * ODD_VALUES.length)] as Json;
  if (path.length === 0) return random() < 0.5 ? odd : copy;
  let parent: Json = copy;
  for (const step of path.slice(0, -1)) parent = (parent as Record<string | number, Json>)[step] as Json;
  const last = path[path.length - 1] as string | number;
  const container = parent as Record<string | number, Json>;
  const action = random();
  if (action < 0.6) container[last] = odd;
  else if (action < 0.8 && !Array.isArray(parent)) delete container[last];
  else if (typeof container[last] === 'object' && container[last] !== null && !Array.isArray(container[last])) {
    // defineProperty: assigning to '__proto__' would try to set the prototype (and a number is ignored), not add the
    // own key that JSON.parse gives a frame.
    Object.defineProperty(container[last], random() < 0.5 ? 'smuggled' : '__proto__', { value: 1, enumerable: true, writable: true, configurable: true });
  } else container[last] = odd;
  return copy;
}

function fromJsonText(value: Json): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown; // as the decoders see it (JSON.parse, own __proto__ keys)
}

const peerFrames: PeerFrame[] = [
  { v: 1, id: '1.x-1', sentAtNs: 1, msg: { type: 'RequestVote', from: 1, to: 2, term: 3, lastLogIndex: 7, lastLogTerm: 2, preVote: true } },
  { v: 1, id: '2.x-2', sentAtNs: 0, msg: { type: 'RequestVoteReply', from: 2, to: 1, term: 3, voteGranted: false, preVote: false } },
  // Stamped with its due time in lab ms (the network delay of the lab clock).
  { v: 1, id: '2.x-2b', sentAtNs: 3, deliverAtMs: 1234.5, msg: { type: 'RequestVoteReply', from: 2, to: 1, term: 3, voteGranted: true, preVote: false } },
  { v: 1, id: '25.x-3', sentAtNs: 5e15, msg: { type: 'AppendEntries', from: 25, to: 1, term: 4, prevLogIndex: 6, prevLogTerm: 3, leaderCommit: 5, readRound: 9,
    entries: [{ index: 7, term: 4, command: null }, { index: 8, term: 4, command: '{"op":"put","k":"é","v":"🚀"}' }] } },
  { v: 1, id: '1.x-4', sentAtNs: 7.5, msg: { type: 'AppendEntries', from: 1, to: 3, term: 1, prevLogIndex: 0, prevLogTerm: 0, leaderCommit: 0, readRound: 0, entries: [] } },
  { v: 1, id: '1.x-5', sentAtNs: 9, msg: { type: 'AppendEntriesReply', from: 1, to: 25, term: 4, success: false, matchIndex: 0, conflictTerm: 3, conflictIndex: 5, readRound: 9 } },
  { v: 1, id: '1.x-6', sentAtNs: 10, msg: { type: 'InstallSnapshot', from: 1, to: 2, term: 4, lastIncludedIndex: 5000, lastIncludedTerm: 3,
    offset: 262144, data: '{"values":[["é","🚀"]],"x":"\u0000"}', done: false } },
  { v: 1, id: '1.x-7', sentAtNs: 11, msg: { type: 'InstallSnapshot', from: 1, to: 2, term: 4, lastIncludedIndex: 1, lastIncludedTerm: 1,
    offset: 0, data: '', done: true } },
  { v: 1, id: '1.x-8', sentAtNs: 12, msg: { type: 'InstallSnapshot', from: 1, to: 2, term: 4, lastIncludedIndex: 9, lastIncludedTerm: 4,
    offset: 0, data: 'y'.repeat(MAX_SNAPSHOT_CHUNK_CHARS), done: true } },
  { v: 1, id: '2.x-9', sentAtNs: 13, msg: { type: 'InstallSnapshotReply', from: 2, to: 1, term: 4, lastIncludedIndex: 5000, bytesStored: 524288, done: false } },
  { v: 1, id: '2.x-10', sentAtNs: 14, msg: { type: 'InstallSnapshotReply', from: 2, to: 1, term: 1, lastIncludedIndex: 1, bytesStored: 0, done: true } },
  // A pre-vote denial carries the voter's own term, which may still be 0.
  { v: 1, id: '3.x-11', sentAtNs: 15, msg: { type: 'RequestVoteReply', from: 3, to: 1, term: 0, voteGranted: false, preVote: true } },
  // Membership changes (dissertation ch. 4): a configuration entry, a joint one, and a snapshot's configuration.
  { v: 1, id: '1.x-12', sentAtNs: 16, msg: { type: 'AppendEntries', from: 1, to: 4, term: 2, prevLogIndex: 3, prevLogTerm: 2, leaderCommit: 3, readRound: 0,
    entries: [{ index: 4, term: 2, command: null, config: { voters: [1, 2, 3], learners: [4], outgoing: [] } },
      { index: 5, term: 2, command: null, config: { voters: [1, 2, 3, 4], learners: [], outgoing: [1, 2, 3] } }] } },
  { v: 1, id: '1.x-13', sentAtNs: 17, msg: { type: 'InstallSnapshot', from: 1, to: 4, term: 4, lastIncludedIndex: 9, lastIncludedTerm: 4,
    offset: 0, data: '{}', done: true, config: { voters: [1, 2], learners: [4], outgoing: [] } } },
];

const requests: Json[] = [
  { v: 1, requestId: 'c-1-1-1', clientId: 'c-1', session: 7, seq: 1, op: 'put', key: 'k', value: 'v' },
  { v: 1, requestId: 'c-1-0-2', clientId: 'c-1', seq: 0, op: 'get', key: 'k' },
  { v: 1, requestId: 'c-1-2-3', clientId: 'c-1', session: 7, seq: 2, op: 'cas', key: 'k', from: '', to: 'b' },
  { v: 1, requestId: 'c-1-3-4', clientId: 'c-1', session: 7, seq: 3, op: 'delete', key: 'k' },
  { v: 1, requestId: 'c-1-register-5', clientId: 'c-1', seq: 0, op: 'register' },
];

const replies: Json[] = [
  { v: 1, requestId: 'c-1-1-1', status: 'ok', value: null, leaderHint: null, index: 12, node: 1, error: null },
  { v: 1, requestId: '', status: 'not-leader', value: null, leaderHint: 3, index: null, node: 2, error: null },
  { v: 1, requestId: 'r', status: 'fail', value: 'old', leaderHint: null, index: 4, node: 25, error: 'cas-mismatch' },
  { v: 1, requestId: 's', status: 'session-expired', value: null, leaderHint: null, index: 9, node: 1, error: 'expired' },
];

const nodeEvents: Record<string, Json>[] = [
  { type: 'node-state', atNs: 12, node: 2, state: { role: 'leader', term: 3, votedFor: 2, leaderId: 2, commitIndex: 10, lastApplied: 10,
    lastLogIndex: 11, lastLogTerm: 3, electionDeadlineNs: null, progress: { 1: { nextIndex: 12, matchIndex: 11 }, 3: { nextIndex: 5, matchIndex: 0 } } } },
  { type: 'node-state', atNs: 13, node: 2, state: { role: 'leader', term: 3, votedFor: 2, leaderId: 2, commitIndex: 10, lastApplied: 10,
    lastLogIndex: 14, lastLogTerm: 3, electionDeadlineNs: null,
    progress: { 1: { nextIndex: 15, matchIndex: 11, state: 'replicate', inflight: 3 }, 3: { nextIndex: 5, matchIndex: 0, state: 'probe', inflight: 0 } } } },
  { type: 'node-state', atNs: 0, node: 2, state: { role: 'follower', term: 0, votedFor: null, leaderId: null, commitIndex: 0, lastApplied: 0,
    lastLogIndex: 0, lastLogTerm: 0, electionDeadlineNs: 123.5, progress: null } },
  { type: 'node-state', atNs: 7, node: 2, state: { role: 'follower', term: 4, votedFor: 1, leaderId: 1, commitIndex: 5010, lastApplied: 5008,
    lastLogIndex: 5012, lastLogTerm: 4, snapshotIndex: 5000, snapshotTerm: 3, electionDeadlineNs: 99, progress: null } },
  { type: 'raft', atNs: 8, node: 2, event: { kind: 'snapshot-installed', node: 2, term: 4, rule: 'Figure 13, receiver 5', reason: 'installed',
    data: { lastIncludedIndex: 5000, lastIncludedTerm: 3 } } },
  { type: 'raft', atNs: 8, node: 2, event: { kind: 'log-compacted', node: 2, term: 4, rule: '§7', reason: 'compacted', data: { index: 5000 } } },
  { type: 'message', atNs: 9, node: 2, direction: 'receive', id: '1.x-6', dropReason: null,
    message: { type: 'InstallSnapshot', from: 1, to: 2, term: 4, fields: { lastIncludedIndex: 5000, lastIncludedTerm: 3, offset: 0,
      dataChars: 262144, done: false } } },
  { type: 'message', atNs: 9, node: 2, direction: 'send', id: '2.x-9', dropReason: null,
    message: { type: 'InstallSnapshotReply', from: 2, to: 1, term: 4, fields: { lastIncludedIndex: 5000, bytesStored: 262144, done: false } } },
  { type: 'log-write', atNs: 5, node: 2, entries: [{ index: 1, term: 1, command: null }, { index: 2, term: 1, command: '{"op":"put"}' }] },
  { type: 'raft', atNs: 5, node: 2, event: { kind: 'commit-advanced', node: 2, term: 3, rule: '§5.3', reason: 'majority',
    data: { from: 1, to: 2, ok: true, note: null, text: 'x' } } },
  { type: 'message', atNs: 5, node: 2, direction: 'send', id: '2.x-9', dropReason: null,
    message: { type: 'AppendEntries', from: 2, to: 1, term: 3, fields: { prevLogIndex: 1, entryCount: 1 }, entries: [{ index: 2, term: 3 }] } },
  { type: 'message', atNs: 5, node: 2, direction: 'drop', id: '2.x-9', dropReason: 'lost',
    message: { type: 'RequestVote', from: 2, to: 1, term: 3, fields: { preVote: false } } },
  { type: 'error', atNs: 5, node: 2, message: 'S2: something' },
  { type: 'kv-state', atNs: 6, node: 2, index: 5000, entries: [['a', '1'], ['b', '']], tooLarge: false },
  { type: 'kv-state', atNs: 6, node: 2, index: 5000, entries: null, tooLarge: true },
];

const ROUNDS = 3000;

describe('fast checks agree with the schemas', () => {
  it('peer frames', () => {
    const random = seeded(1);
    for (const frame of peerFrames) expect(isPeerFrame(fromJsonText(frame as unknown as Json)), frame.id).toBe(true);
    for (let round = 0; round < ROUNDS; round += 1) {
      const value = fromJsonText(mutate(peerFrames[round % peerFrames.length] as unknown as Json, random));
      if (!isPeerFrame(value)) continue;
      const parsed = peerFrameSchema.safeParse(value);
      expect(parsed.success, JSON.stringify(value)).toBe(true);
      expect(parsed.data).toEqual(value);
    }
  });

  it('client requests and replies', () => {
    const random = seeded(2);
    for (const request of requests) expect(isClientRequestFrame(fromJsonText(request))).toBe(true);
    for (const reply of replies) expect(isClientReplyFrame(fromJsonText(reply))).toBe(true);
    for (let round = 0; round < ROUNDS; round += 1) {
      const request = fromJsonText(mutate(requests[round % requests.length] ?? null, random));
      if (isClientRequestFrame(request)) expect(clientRequestFrameSchema.safeParse(request).data, JSON.stringify(request)).toEqual(request);
      const reply = fromJsonText(mutate(replies[round % replies.length] ?? null, random));
      if (isClientReplyFrame(reply)) expect(clientReplyFrameSchema.safeParse(reply).data, JSON.stringify(reply)).toEqual(reply);
    }
  });

  it('node events, and validateNodeEvent answers as the schema alone would', () => {
    const random = seeded(3);
    // error and kv-state are rare: they have no fast check and go to the schema.
    for (const event of nodeEvents.filter((candidate) => candidate['type'] !== 'error' && candidate['type'] !== 'kv-state')) {
      expect(isFrequentEventOf(fromJsonText(event) as Record<string, unknown>, 2), String(event['type'])).toBe(true);
    }
    for (let round = 0; round < ROUNDS; round += 1) {
      const raw = fromJsonText(mutate(nodeEvents[round % nodeEvents.length] as Json, random));
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) continue;
      const record = raw as Record<string, unknown>;
      const result = validateNodeEvent(record, 2);
      const bySchema = labEventSchema.safeParse({ ...record, seq: 0 });
      const schemaAccepts = bySchema.success && ['raft', 'message', 'log-write', 'node-state', 'error', 'kv-state'].includes(bySchema.data.type) &&
        'node' in bySchema.data && bySchema.data.node === 2;
      expect(result.ok, JSON.stringify(raw)).toBe(schemaAccepts);
      if (result.ok && bySchema.success) {
        const { seq: _seq, ...expected } = bySchema.data;
        expect(result.event).toEqual(expected);
      }
    }
  });
});
