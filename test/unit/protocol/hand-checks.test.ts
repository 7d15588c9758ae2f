// A node process checks what it receives by hand, without zod (docs/benchmarks.md). Every boundary must stay exactly
// as strict as before: here each hand-written check and its zod schema (the lab's, or a reference in ./reference/) see the same
// generated, mutated and garbage inputs and must accept the same ones, returning equal values.
import { describe, expect, it } from 'vitest';
import { attempt, type Check } from '../../../src/protocol/check';
import { checkClientRequest } from '../../../src/protocol/client';
import { clientRequestFrameSchema } from './reference/client-request-schema';
import { checkLabToNode, checkNodeConfig, CONTROL_PROTOCOL_VERSION, EVENT_DETAILS, STEP_ACTIONS } from '../../../src/protocol/control';
import { labToNodeSchema, nodeConfigSchema } from './reference/lab-to-node-schema';
import { checkElectionTimeoutRange } from '../../../src/protocol/election-timeout';
import { electionTimeoutRangeSchema } from '../../../src/protocol/election-timeout-schema';
import { checkLabClockSegment, checkNetworkDelay } from '../../../src/protocol/lab-clock';
import { labClockSegmentSchema, networkDelaySchema } from '../../../src/protocol/lab-clock-schema';
import { checkFaultTable, checkLinkFaults } from '../../../src/protocol/link-faults';
import { faultTableSchema, linkFaultsSchema } from '../../../src/protocol/link-faults-schema';
import { checkPeerFrame, MAX_SNAPSHOT_CHUNK_CHARS } from '../../../src/protocol/wire';
import { peerFrameSchema } from './reference/wire-schema';
import { BUG_NAMES } from '../../../src/raft/bug-names';
import { agreementSeed, expectAgreement, intIn, pick, zodOutcome, type Json, type Random } from './agreement';

const ROUNDS = 3000;
const SECRET = 'a-secret-of-sixteen-or-more';

interface SafeParser { safeParse(value: unknown): { success: true; data: unknown } | { success: false; error: { message: string } } }

function agree(name: string, schema: SafeParser, check: Check<unknown>, valid: (random: Random) => Json): void {
  const seed = agreementSeed();
  const { accepted, rejected } = expectAgreement({
    name, seed, rounds: ROUNDS, valid,
    bySchema: (value) => zodOutcome(schema.safeParse(value)),
    byCheck: (value) => attempt(check, value),
  });
  // Both answers must have been given often, or the comparison says little.
  expect(accepted, `${name}: accepted inputs (seed=${seed})`).toBeGreaterThan(ROUNDS / 4);
  expect(rejected, `${name}: rejected inputs (seed=${seed})`).toBeGreaterThan(ROUNDS / 4);
}

// --- Generators of valid values, reaching the bounds now and then. ---

const nodeId = (random: Random): number => intIn(random, 1, 25);
const count = (random: Random): number => pick(random, [0, 1, intIn(random, 0, 10_000), Number.MAX_SAFE_INTEGER]);
const chars = (random: Random, min: number, max: number): string => {
  const length = pick(random, [min, max, intIn(random, min, Math.min(max, min + 40))]);
  // As many code points either way; the emoji take two UTF-16 units each, as zod counts strings in code points.
  return random() < 0.2 ? '😀'.repeat(length) : 'x'.repeat(length);
};
const fraction = (random: Random): number => pick(random, [0, 1, random()]);
const delay = (random: Random, max: number): number => pick(random, [0, max, random() * max, intIn(random, 0, 100)]);

function linkFaults(random: Random): Json {
  return { dropProbability: fraction(random), delayMs: delay(random, 60_000), jitterMs: delay(random, 60_000),
    duplicateProbability: fraction(random), blocked: random() < 0.5 };
}

function faultTable(random: Random): Json {
  const outbound: Record<string, Json> = {};
  for (let i = intIn(random, 0, 3); i > 0; i -= 1) outbound[String(nodeId(random))] = linkFaults(random);
  return { outbound, blockedFrom: Array.from({ length: intIn(random, 0, 4) }, () => nodeId(random)) };
}

function clock(random: Random): Json {
  return { anchorNs: pick(random, [0, random() * 1e15]), labMs: pick(random, [0, random() * 1e6]),
    timeScale: pick(random, [1, 100, 1 + random() * 99]), frozen: random() < 0.5 };
}

function ordered(random: Random, min: number, max: number, integers: boolean): Json {
  const draw = (): number => (integers ? intIn(random, min, max) : min + random() * (max - min));
  const a = draw();
  const b = random() < 0.2 ? a : draw();
  return [Math.min(a, b), Math.max(a, b)];
}

function members(random: Random): Record<string, Json> {
  const table: Record<string, Json> = {};
  for (let i = intIn(random, 1, 5); i > 0; i -= 1) table[String(intIn(random, 1, 99))] = `tcp://127.0.0.1:${intIn(random, 1, 65535)}`;
  return table;
}

function nodeConfig(random: Random): Json {
  const config: Record<string, Json> = {
    members: members(random), electionTimeoutMs: ordered(random, 10, 60_000, true), heartbeatMs: intIn(random, 5, 30_000),
    clock: clock(random), networkDelayMs: ordered(random, 0, 5_000, false), preVote: random() < 0.5, checkQuorum: random() < 0.5,
    bugs: Array.from({ length: intIn(random, 0, 3) }, () => pick(random, BUG_NAMES)), randomSeed: count(random),
    faults: faultTable(random), eventDetail: pick(random, EVENT_DETAILS),
  };
  if (random() < 0.5) config['bootstrapMembers'] = Array.from({ length: intIn(random, 0, 5) }, () => nodeId(random));
  if (random() < 0.5) config['membershipMode'] = pick(random, ['single-server', 'joint']);
  if (random() < 0.5) config['snapshotEveryEntries'] = intIn(random, 0, 1_000_000);
  if (random() < 0.5) config['snapshotKeepEntries'] = intIn(random, 0, 1_000_000);
  return config;
}

function labToNode(random: Random): Json {
  const base = { v: CONTROL_PROTOCOL_VERSION, secret: random() < 0.8 ? SECRET : chars(random, 16, 128) };
  switch (pick(random, ['shutdown', 'configure', 'peers', 'faults', 'clock', 'query', 'step', 'membership', 'transfer'])) {
    case 'shutdown': return { ...base, type: 'shutdown' };
    case 'configure': return { ...base, type: 'configure', config: nodeConfig(random) };
    case 'peers': return { ...base, type: 'peers', members: members(random) };
    case 'faults': return random() < 0.5 ? { ...base, type: 'faults', faults: faultTable(random) }
      : { ...base, type: 'faults', faults: faultTable(random), version: count(random) };
    case 'clock': return { ...base, type: 'clock', clock: clock(random), networkDelayMs: ordered(random, 0, 5_000, false) };
    case 'query': return { ...base, type: 'query', queryId: count(random) };
    case 'step': {
      const step: Record<string, Json> = { ...base, type: 'step', stepId: count(random), action: pick(random, STEP_ACTIONS) };
      if (random() < 0.5) step['messageId'] = chars(random, 1, 64);
      return step;
    }
    case 'membership': return { ...base, type: 'membership', changeId: count(random), change: { type: pick(random, ['add', 'promote', 'remove']), node: nodeId(random) } };
    default: return { ...base, type: 'transfer', transferId: count(random), to: nodeId(random) };
  }
}

function configuration(random: Random): Json {
  const ids = [1, 2, 3, 4, 5].filter(() => random() < 0.6);
  const voters = ids.length > 0 ? ids : [1];
  const learners = [6, 7].filter((id) => random() < 0.3 && !voters.includes(id));
  return { voters, learners, outgoing: random() < 0.2 ? voters.slice(0, 1) : [] };
}

/** Messages a correct server could send (messageProblem accepts them), of every type. */
function message(random: Random): Json {
  const from = nodeId(random);
  const to = from === 25 ? 1 : from + 1;
  const term = intIn(random, 1, 50);
  switch (pick(random, ['RequestVote', 'RequestVoteReply', 'AppendEntries', 'AppendEntriesReply', 'InstallSnapshot', 'InstallSnapshotReply', 'TimeoutNow'])) {
    case 'RequestVote': {
      const vote: Record<string, Json> = { type: 'RequestVote', from, to, term, lastLogIndex: 0, lastLogTerm: 0, preVote: random() < 0.5 };
      if (random() < 0.5) { vote['lastLogIndex'] = intIn(random, 1, 100); vote['lastLogTerm'] = intIn(random, 1, term); }
      if (vote['preVote'] === false && random() < 0.3) vote['leadershipTransfer'] = true;
      return vote;
    }
    case 'RequestVoteReply': return { type: 'RequestVoteReply', from, to, term, voteGranted: random() < 0.5, preVote: random() < 0.5 };
    case 'AppendEntries': {
      const prevLogIndex = random() < 0.3 ? 0 : intIn(random, 1, 1000);
      const prevLogTerm = prevLogIndex === 0 ? 0 : intIn(random, 1, term);
      const entries = Array.from({ length: intIn(random, 0, 3) }, (_, i): Json => {
        const entry: Record<string, Json> = { index: prevLogIndex + 1 + i, term: Math.max(prevLogTerm, 1) === term ? term : term, command: null };
        if (random() < 0.2) entry['config'] = configuration(random);
        else if (random() < 0.8) entry['command'] = chars(random, 0, 60);
        return entry;
      });
      return { type: 'AppendEntries', from, to, term, prevLogIndex, prevLogTerm, entries, leaderCommit: intIn(random, 0, prevLogIndex), readRound: count(random) };
    }
    case 'AppendEntriesReply': return { type: 'AppendEntriesReply', from, to, term, success: false, matchIndex: 0, conflictTerm: 0, conflictIndex: 0, readRound: 0 };
    case 'InstallSnapshot': {
      const snapshot: Record<string, Json> = { type: 'InstallSnapshot', from, to, term, lastIncludedIndex: intIn(random, 1, 10_000),
        lastIncludedTerm: intIn(random, 1, term), offset: intIn(random, 0, 1e6), data: random() < 0.05 ? 'y'.repeat(MAX_SNAPSHOT_CHUNK_CHARS) : chars(random, 0, 50), done: random() < 0.5 };
      if (random() < 0.3) snapshot['config'] = configuration(random);
      return snapshot;
    }
    case 'InstallSnapshotReply': return { type: 'InstallSnapshotReply', from, to, term, lastIncludedIndex: intIn(random, 1, 10_000), bytesStored: count(random), done: random() < 0.5 };
    default: return { type: 'TimeoutNow', from, to, term };
  }
}

function peerFrame(random: Random): Json {
  const frame: Record<string, Json> = { v: 1, id: chars(random, 1, 64), sentAtNs: pick(random, [0, random() * 1e15]), msg: message(random) };
  if (random() < 0.3) frame['deliverAtMs'] = random() * 1e6;
  return frame;
}

function clientRequest(random: Random): Json {
  const op = pick(random, ['get', 'put', 'delete', 'cas', 'register']);
  const request: Record<string, Json> = { v: 1, requestId: chars(random, 1, 64), clientId: chars(random, 1, 64), seq: 0, op };
  if (op !== 'register') request['key'] = chars(random, 1, 256);
  if (op === 'put' || op === 'delete' || op === 'cas') {
    request['session'] = intIn(random, 1, 1e6);
    request['seq'] = intIn(random, 1, 1e6);
  }
  if (op === 'put') request['value'] = chars(random, 0, 100);
  if (op === 'cas') { request['from'] = chars(random, 0, 10); request['to'] = chars(random, 0, 10); }
  return request;
}

describe('hand-written checks agree with the zod schemas (accept, reject, parsed value)', () => {
  it('lab→node control frames', () => agree('lab→node frame', labToNodeSchema, checkLabToNode, labToNode));
  it('node configurations', () => agree('node config', nodeConfigSchema, checkNodeConfig, nodeConfig));
  it('fault tables and link faults', () => {
    agree('fault table', faultTableSchema, checkFaultTable, faultTable);
    agree('link faults', linkFaultsSchema, checkLinkFaults, linkFaults);
  });
  it('the lab clock, the network delay and the election timeout range', () => {
    agree('lab clock segment', labClockSegmentSchema, checkLabClockSegment, clock);
    agree('network delay', networkDelaySchema, checkNetworkDelay, (random) => ordered(random, 0, 5_000, false));
    agree('election timeout range', electionTimeoutRangeSchema, checkElectionTimeoutRange, (random) => ordered(random, 10, 60_000, true));
  });
  it('peer frames', () => agree('peer frame', peerFrameSchema, checkPeerFrame, peerFrame));
  it('client requests', () => agree('client request', clientRequestFrameSchema, checkClientRequest, clientRequest));

  it('record keys as zod reads them: "02" and "2.0" name node 2, "__proto__" is skipped, "x" is refused', () => {
    const table = JSON.parse('{"outbound":{"02":{"dropProbability":0,"delayMs":0,"jitterMs":0,"duplicateProbability":0,"blocked":true},' +
      '"__proto__":{}},"blockedFrom":[]}') as unknown;
    expect(attempt(checkFaultTable, table)).toStrictEqual({ ok: true, value: faultTableSchema.parse(table) });
    expect(Object.keys((faultTableSchema.parse(table)).outbound)).toEqual(['2']);
    expect(attempt(checkFaultTable, { outbound: { x: {} }, blockedFrom: [] })).toMatchObject({ ok: false, error: expect.stringMatching(/^outbound\.x:/) as unknown });
  });

  it('names the path and the problem', () => {
    expect(attempt(checkLabToNode, { v: 1, secret: SECRET, type: 'query', queryId: -1 }))
      .toEqual({ ok: false, error: 'queryId: expected an integer >= 0, got number -1' });
    expect(attempt(checkLabToNode, { v: 1, secret: SECRET, type: 'reboot' }))
      .toMatchObject({ ok: false, error: expect.stringMatching(/^type: expected one of "shutdown", /) as unknown });
    expect(attempt(checkLabToNode, { v: 1, secret: SECRET, type: 'shutdown', extra: 1 })).toEqual({ ok: false, error: '(root): Unrecognized key "extra"' });
    expect(attempt(checkClientRequest, { v: 1, requestId: 'r', clientId: 'c', seq: 0, op: 'register', key: 'k' }))
      .toEqual({ ok: false, error: 'key: register names no key; every other op names one' });
  });
});
