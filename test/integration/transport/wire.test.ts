// decodePeerFrame is the first code that touches bytes from another process: it must accept every valid frame
// unchanged and reject everything else with a readable error, without ever throwing.
import { describe, expect, it } from 'vitest';
import { decodePeerFrame, encodePeerFrame, MAX_COMMAND_CHARS, MAX_PEER_FRAME_BYTES, MAX_SNAPSHOT_CHUNK_CHARS, type PeerFrame } from '../../../src/protocol/wire';
import type { Entry, Message } from '../../../src/raft/types';
import { seededRandom, testSeed } from './transport-harness';

const oneOfEach: Message[] = [
  { type: 'RequestVote', from: 1, to: 2, term: 3, lastLogIndex: 7, lastLogTerm: 2, preVote: true },
  { type: 'RequestVoteReply', from: 2, to: 1, term: 3, voteGranted: false, preVote: false },
  {
    type: 'AppendEntries', from: 25, to: 1, term: 4, prevLogIndex: 6, prevLogTerm: 3, leaderCommit: 5, readRound: 9,
    entries: [{ index: 7, term: 4, command: null }, { index: 8, term: 4, command: '{"op":"put","k":"é","v":"🚀"}' }],
  },
  { type: 'AppendEntriesReply', from: 1, to: 25, term: 4, success: false, matchIndex: 0, conflictTerm: 3, conflictIndex: 5, readRound: 9 },
  { type: 'InstallSnapshot', from: 1, to: 2, term: 5, lastIncludedIndex: 5000, lastIncludedTerm: 4, offset: 262144,
    data: '{"values":[["é","🚀"]],"raw":"\u0000\\"}', done: false },
  { type: 'InstallSnapshotReply', from: 2, to: 1, term: 5, lastIncludedIndex: 5000, bytesStored: 262144, done: false },
];

const frameOf = (msg: Message): PeerFrame => ({ v: 1, id: `${msg.from}-1042`, sentAtNs: 123_456_789_012, msg });
const bytesOfJson = (value: unknown): Buffer => Buffer.from(JSON.stringify(value), 'utf8');
const mustReject = (buf: Buffer): string => {
  const result = decodePeerFrame(buf);
  if (result.ok) throw new Error(`accepted ${buf.toString('utf8').slice(0, 200)}`);
  return result.error;
};

describe('encodePeerFrame / decodePeerFrame', () => {
  it.each(oneOfEach.map((msg) => [msg.type, msg] as const))('round-trips a %s unchanged', (_type, msg) => {
    const frame = frameOf(msg);
    expect(decodePeerFrame(encodePeerFrame(frame))).toEqual({ ok: true, frame });
  });

  it('rejects bytes that are not UTF-8', () => {
    expect(mustReject(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))).toMatch(/not valid UTF-8/);
  });

  it('rejects text that is not JSON, including a truncated frame', () => {
    expect(mustReject(Buffer.from('hello'))).toMatch(/not valid JSON/);
    const whole = encodePeerFrame(frameOf(oneOfEach[2] as Message));
    expect(mustReject(whole.subarray(0, whole.length - 5))).toMatch(/not valid JSON/);
  });

  it('rejects frames over the size limit before parsing them', () => {
    const huge = Buffer.alloc(MAX_PEER_FRAME_BYTES + 1, 0x20);
    expect(mustReject(huge)).toMatch(new RegExp(`${MAX_PEER_FRAME_BYTES + 1} bytes exceeds the limit of ${MAX_PEER_FRAME_BYTES}`));
  });

  it('names the offending field when the schema does not match', () => {
    const good = frameOf(oneOfEach[0] as Message);
    const cases: [unknown, RegExp][] = [
      [{ ...good, v: 2 }, /v:/],
      [{ ...good, id: '' }, /id:/],
      [{ ...good, sentAtNs: -1 }, /sentAtNs:/],
      [{ ...good, msg: { ...good.msg, term: -1 } }, /msg\.term:/],
      [{ ...good, msg: { ...good.msg, term: 1.5 } }, /msg\.term:/],
      [{ ...good, msg: { ...good.msg, from: 0 } }, /msg\.from:/],
      [{ ...good, msg: { ...good.msg, to: 26 } }, /msg\.to:/],
      [{ ...good, msg: { ...good.msg, type: 'Gossip' } }, /msg\.type:/],
      [frameOf({ ...(oneOfEach[4] as Message), offset: -1 } as Message), /msg\.offset:/],
      [frameOf({ ...(oneOfEach[4] as Message), lastIncludedIndex: 0 } as Message), /msg\.lastIncludedIndex:/],
      [frameOf({ ...(oneOfEach[5] as Message), bytesStored: 'all' } as unknown as Message), /msg\.bytesStored:/],
      [{ ...good, msg: { ...good.msg, smuggled: true } }, /msg:.*smuggled/],
      [{ ...good, msg: { type: 'RequestVote', from: 1, to: 2 } }, /msg\.term:/],
      [[good], /\(root\)/],
      [null, /\(root\)/],
    ];
    for (const [value, expected] of cases) expect(mustReject(bytesOfJson(value))).toMatch(expected);
  });

  it('caps the size of a command', () => {
    const entries = [{ index: 1, term: 1, command: 'x'.repeat(MAX_COMMAND_CHARS + 1) }];
    const frame = frameOf({ ...(oneOfEach[2] as Message & { type: 'AppendEntries' }), entries });
    expect(mustReject(encodePeerFrame(frame))).toMatch(/msg\.entries\.0\.command:/);
  });

  it('caps the size of a snapshot chunk (in characters; a bigger one fits the frame but not the schema)', () => {
    const install = oneOfEach[4] as Message & { type: 'InstallSnapshot' };
    const atBound = frameOf({ ...install, data: 'x'.repeat(MAX_SNAPSHOT_CHUNK_CHARS) });
    expect(decodePeerFrame(encodePeerFrame(atBound))).toEqual({ ok: true, frame: atBound });
    const over = frameOf({ ...install, data: 'x'.repeat(MAX_SNAPSHOT_CHUNK_CHARS + 1) });
    expect(mustReject(encodePeerFrame(over))).toMatch(/msg\.data:/);
  });

  it('refuses a snapshot whose last term is 0 or beyond the message term (it would hold uncommitted terms)', () => {
    const install = oneOfEach[4] as Message & { type: 'InstallSnapshot' };
    expect(decodePeerFrame(encodePeerFrame(frameOf({ ...install, lastIncludedTerm: install.term })))).toMatchObject({ ok: true });
    expect(mustReject(encodePeerFrame(frameOf({ ...install, lastIncludedTerm: install.term + 1 })))).toMatch(/msg\.lastIncludedTerm:.*must not exceed term/);
    expect(mustReject(encodePeerFrame(frameOf({ ...install, lastIncludedTerm: 0 })))).toMatch(/msg\.lastIncludedTerm:/);
  });

  it('refuses a message no correct server sends as a whole (an entry of term 0, entries out of order), saying why', () => {
    const append = oneOfEach[2] as Message & { type: 'AppendEntries' };
    const [first, second] = append.entries as [Entry, Entry];
    expect(mustReject(encodePeerFrame(frameOf({ ...append, entries: [{ ...first, term: 0 }] }))))
      .toMatch(/msg: not a message a Raft server sends: entry 7 has term 0, outside \[3, term 4\]/);
    expect(mustReject(encodePeerFrame(frameOf({ ...append, entries: [second] })))).toMatch(/entry 0 has index 8, expected 7/);
    expect(mustReject(encodePeerFrame(frameOf({ ...append, prevLogTerm: 0 })))).toMatch(/prevLogTerm is 0 exactly when prevLogIndex is 0/);
    expect(mustReject(encodePeerFrame(frameOf({ ...append, from: 1, to: 1 })))).toMatch(/S1 sends AppendEntries to itself/);
  });

  it('never throws on random bytes or random JSON-ish text', () => {
    const seed = testSeed('decodePeerFrame fuzz');
    const random = seededRandom(seed);
    const alphabet = '{}[]":,0123456789-.eEtruefalsnl vmsgidtypeRequestVote\\';
    for (let round = 0; round < 2000; round += 1) {
      const length = Math.floor(random() * 300);
      const buf = round % 2 === 0
        ? Buffer.from(Array.from({ length }, () => Math.floor(random() * 256)))
        : Buffer.from(Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)] ?? ' ').join(''));
      const result = decodePeerFrame(buf);
      expect(result.ok, `seed=${seed} round=${round}`).toBe(false);
    }
  });
});
