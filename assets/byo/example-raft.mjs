#!/usr/bin/env node
// An example of "bring your own Raft" (docs/byo-raft.md): a small Raft in plain JavaScript that speaks Maelstrom's
// protocol on stdin/stdout and serves lin-kv. Leader election (§5.2), log replication (§5.3), the election
// restriction and commit rule (§5.4), and its term, vote and log persisted in its working directory (so a restarted
// node recovers). Reads go through the log too, which keeps them linearizable. It reports its state to the lab with
// raft_lab_state and its elections with raft_lab_event. Run it: raft-lab maelstrom --bin node --arg example-raft.mjs
// (the app's Settings tab offers it as "the example node").
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

const ELECTION_MS = [300, 600];
const HEARTBEAT_MS = 100;
const STATE_FILE = 'example-raft-state.json';
const REPORT_MS = 20;

let me = '';
let peers = [];
let term = 0;
let votedFor = null;
let log = []; // [{ term, op: { type, key, value?, from?, to? }, client, msgId }]
let commitIndex = 0;
let lastApplied = 0;
let role = 'follower';
let leader = null;
let votes = new Set();
let electionDeadline = 0;
const nextIndex = new Map();
const matchIndex = new Map();
const store = new Map();
let nextMsgId = 0;

function send(dest, body) {
  nextMsgId += 1;
  process.stdout.write(`${JSON.stringify({ src: me, dest, body: { ...body, msg_id: nextMsgId } })}\n`);
}

function reply(request, body) {
  send(request.src, { ...body, in_reply_to: request.body.msg_id });
}

function persist() {
  writeFileSync(`${STATE_FILE}.tmp`, JSON.stringify({ term, votedFor, log }));
  renameSync(`${STATE_FILE}.tmp`, STATE_FILE);
}

function recover() {
  if (!existsSync(STATE_FILE)) return;
  ({ term, votedFor, log } = JSON.parse(readFileSync(STATE_FILE, 'utf8')));
  console.error(`${me}: recovered term ${term}, ${log.length} entries`);
}

// The lab hears our state at most every REPORT_MS: a busy leader changes it on every request.
let reportTimer = null;
function report() {
  reportTimer ??= setTimeout(() => {
    reportTimer = null;
    send('lab', { type: 'raft_lab_state', role, term, voted_for: votedFor, commit_index: commitIndex,
      log: log.map((entry) => ({ term: entry.term, op: entry.op })) });
  }, REPORT_MS);
}

function note(text, rule) {
  send('lab', { type: 'raft_lab_event', text, rule });
}

const lastLogTerm = () => (log.length === 0 ? 0 : log[log.length - 1].term);
const majority = () => Math.floor((peers.length + 1) / 2) + 1;

function resetElectionTimer() {
  electionDeadline = Date.now() + ELECTION_MS[0] + Math.random() * (ELECTION_MS[1] - ELECTION_MS[0]);
}

function becomeFollower(newTerm, why) {
  const changed = role !== 'follower' || newTerm !== term;
  if (newTerm > term) {
    term = newTerm;
    votedFor = null;
    persist();
  }
  role = 'follower';
  if (changed) {
    if (why) note(why, '§5.1');
    report();
  }
}

function startElection() {
  term += 1;
  role = 'candidate';
  votedFor = me;
  leader = null;
  votes = new Set([me]);
  persist();
  resetElectionTimer();
  note(`${me} timed out and asks for votes in term ${term}`, '§5.2');
  report();
  for (const peer of peers) send(peer, { type: 'request_vote', term, candidate_id: me, last_log_index: log.length, last_log_term: lastLogTerm() });
  if (votes.size >= majority()) becomeLeader();
}

function becomeLeader() {
  role = 'leader';
  leader = me;
  for (const peer of peers) {
    nextIndex.set(peer, log.length + 1);
    matchIndex.set(peer, 0);
  }
  note(`${me} won the election of term ${term}`, '§5.2');
  // A no-op of its own term lets it commit what earlier leaders left (§5.4.2).
  log.push({ term, op: { type: 'noop' }, client: null, msgId: null });
  persist();
  report();
  heartbeat();
}

function heartbeat() {
  for (const peer of peers) {
    const next = nextIndex.get(peer);
    const prevLogIndex = next - 1;
    send(peer, { type: 'append_entries', term, leader_id: me, prev_log_index: prevLogIndex,
      prev_log_term: prevLogIndex === 0 ? 0 : log[prevLogIndex - 1].term, entries: log.slice(prevLogIndex, prevLogIndex + 50),
      leader_commit: commitIndex });
  }
  advanceCommit();
}

function advanceCommit() {
  for (let index = log.length; index > commitIndex; index -= 1) {
    if (log[index - 1].term !== term) break; // §5.4.2: count replicas only of the current term's entries
    const replicas = 1 + peers.filter((peer) => matchIndex.get(peer) >= index).length;
    if (replicas >= majority()) {
      commitIndex = index;
      applyCommitted();
      report();
      break;
    }
  }
}

function applyOp(op) {
  const current = store.get(op.key);
  switch (op.type) {
    case 'read':
      return current === undefined ? { type: 'error', code: 20, text: 'key does not exist' } : { type: 'read_ok', value: current };
    case 'write':
      store.set(op.key, op.value);
      return { type: 'write_ok' };
    case 'cas':
      if (current === undefined) return { type: 'error', code: 20, text: 'key does not exist' };
      if (current !== op.from) return { type: 'error', code: 22, text: `expected ${op.from}, found ${current}` };
      store.set(op.key, op.to);
      return { type: 'cas_ok' };
    default:
      return null;
  }
}

function applyCommitted() {
  while (lastApplied < commitIndex) {
    lastApplied += 1;
    const entry = log[lastApplied - 1];
    const result = applyOp(entry.op);
    if (role === 'leader' && entry.client && result) send(entry.client, { ...result, in_reply_to: entry.msgId });
  }
}

function onClientRequest(request) {
  if (role !== 'leader') {
    reply(request, { type: 'error', code: 11, text: leader ? `not the leader; try ${leader}` : 'no leader known' });
    return;
  }
  const { type, key, value, from, to } = request.body;
  log.push({ term, op: { type, key, value, from, to }, client: request.src, msgId: request.body.msg_id });
  persist();
  report();
}

function onRequestVote(request) {
  const body = request.body;
  if (body.term > term) becomeFollower(body.term, `${me} saw term ${body.term} from ${request.src}`);
  const upToDate = body.last_log_term > lastLogTerm() || (body.last_log_term === lastLogTerm() && body.last_log_index >= log.length);
  const granted = body.term === term && (votedFor === null || votedFor === body.candidate_id) && upToDate;
  if (granted) {
    votedFor = body.candidate_id;
    persist();
    resetElectionTimer();
    report();
  }
  reply(request, { type: 'request_vote_ok', term, vote_granted: granted });
}

function onVote(message) {
  const body = message.body;
  if (body.term > term) return becomeFollower(body.term, `${me} saw term ${body.term} from ${message.src}`);
  if (role !== 'candidate' || body.term !== term || !body.vote_granted) return undefined;
  votes.add(message.src);
  if (votes.size >= majority()) becomeLeader();
  return undefined;
}

function onAppendEntries(request) {
  const body = request.body;
  if (body.term < term) {
    reply(request, { type: 'append_entries_ok', term, success: false, match_index: 0 });
    return;
  }
  if (body.term > term || role !== 'follower') becomeFollower(body.term, null);
  leader = body.leader_id;
  resetElectionTimer();
  const prev = body.prev_log_index;
  if (prev > log.length || (prev > 0 && log[prev - 1].term !== body.prev_log_term)) {
    reply(request, { type: 'append_entries_ok', term, success: false, match_index: Math.min(prev - 1, log.length) });
    return;
  }
  let changed = false;
  body.entries.forEach((entry, offset) => {
    const index = prev + offset + 1;
    if (index <= log.length && log[index - 1].term === entry.term) return;
    log = log.slice(0, index - 1); // a conflict: drop it and everything after it (§5.3)
    log.push(entry);
    changed = true;
  });
  if (changed) persist();
  const match = prev + body.entries.length;
  const newCommit = Math.min(body.leader_commit, match);
  if (newCommit > commitIndex) {
    commitIndex = newCommit;
    applyCommitted();
    changed = true;
  }
  if (changed) report();
  reply(request, { type: 'append_entries_ok', term, success: true, match_index: match });
}

function onAppendReply(message) {
  const body = message.body;
  if (body.term > term) return becomeFollower(body.term, `${me} saw term ${body.term} from ${message.src}`);
  if (role !== 'leader' || body.term !== term) return undefined;
  if (body.success) {
    matchIndex.set(message.src, Math.max(matchIndex.get(message.src), body.match_index));
    nextIndex.set(message.src, matchIndex.get(message.src) + 1);
    advanceCommit();
  } else {
    nextIndex.set(message.src, Math.max(1, Math.min(nextIndex.get(message.src) - 1, body.match_index + 1)));
  }
  return undefined;
}

const handlers = {
  read: onClientRequest, write: onClientRequest, cas: onClientRequest,
  request_vote: onRequestVote, request_vote_ok: onVote,
  append_entries: onAppendEntries, append_entries_ok: onAppendReply,
};

createInterface({ input: process.stdin }).on('line', (line) => {
  const message = JSON.parse(line);
  if (message.body.type === 'init') {
    me = message.body.node_id;
    peers = message.body.node_ids.filter((id) => id !== me);
    recover();
    reply(message, { type: 'init_ok' });
    report();
    resetElectionTimer();
    let lastHeartbeat = 0;
    setInterval(() => {
      if (role === 'leader' && Date.now() - lastHeartbeat >= HEARTBEAT_MS) {
        lastHeartbeat = Date.now();
        heartbeat();
      } else if (role !== 'leader' && Date.now() >= electionDeadline) {
        startElection();
      }
    }, 10);
    return;
  }
  const handler = handlers[message.body.type];
  if (handler) handler(message);
  else console.error(`${me}: ignored a ${message.body.type}`);
}).on('close', () => process.exit(0));
