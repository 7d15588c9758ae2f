// Events from a node process are untrusted until checked: each must be a valid LabEvent about that node itself.
//
// labEventSchema is the definition. Node events arrive for every write on every node, and zod's parse of them was
// the lab process's top cost under load, so the frequent kinds first go through a hand-written check of the same
// rules. It accepts only events the schema accepts unchanged (exact key sets: the schema would strip extra keys);
// anything else goes to the schema, which has the last word and explains a rejection
// (test/unit/protocol/fast-checks.test.ts holds the two to each other).
import { labEventSchema, messageTypeSchema, progressStateSchema, raftEventKindSchema, type LabEvent, type UnsequencedLabEvent } from '../protocol/events';
import { isCount, isIntIn, isObjectWithKeys, isStringOfLength } from '../protocol/wire';

// kv-state is rare (after a snapshot restore) and has no fast check: the schema validates it; so does log-terms (quiet
// nodes send at most one per event they report, see src/node/durable-terms.ts).
const NODE_EVENT_TYPES = new Set(['raft', 'message', 'log-write', 'node-state', 'error', 'kv-state', 'log-terms', 'node-note']);

export function validateNodeEvent(raw: Record<string, unknown>, node: number): { ok: true; event: UnsequencedLabEvent } | { ok: false; error: string } {
  if (isFrequentEventOf(raw, node)) return { ok: true, event: raw };
  const parsed = labEventSchema.safeParse({ ...raw, seq: 0 });
  if (!parsed.success) return { ok: false, error: `invalid event from S${node}: ${parsed.error.issues[0]?.message ?? 'schema'}` };
  const event: LabEvent = parsed.data;
  if (!NODE_EVENT_TYPES.has(event.type)) return { ok: false, error: `S${node} may not report ${event.type} events` };
  if (!('node' in event) || event.node !== node) return { ok: false, error: `S${node} reported an event of another node` };
  const { seq: _seq, ...unsequenced } = event;
  return { ok: true, event: unsequenced as UnsequencedLabEvent };
}

// --- The fast check (the rules of events.ts, written out) ---

type Fields = Readonly<Record<string, unknown>>;

const ROLES: ReadonlySet<unknown> = new Set(['follower', 'precandidate', 'candidate', 'leader']);
const MESSAGE_TYPES: ReadonlySet<unknown> = new Set(messageTypeSchema.options);
const RAFT_EVENT_KINDS: ReadonlySet<unknown> = new Set(raftEventKindSchema.options);
const DIRECTIONS: ReadonlySet<unknown> = new Set(['send', 'receive', 'drop']);
const PROGRESS_KEY = /^\d{1,2}$/;

const isNodeId = (value: unknown): boolean => isIntIn(value, 1, 25);
const isNodeIdOrNull = (value: unknown): boolean => value === null || isNodeId(value);
const isTimeNs = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value) && value >= 0;

function isScalar(value: unknown): boolean {
  return value === null || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value)) ||
    isStringOfLength(value, 0, 4096);
}

/** A record whose keys pass `isKey` and values pass `isValue`. `__proto__` is left to the schema. */
function isRecordOf(value: unknown, isKey: (key: string) => boolean, isValue: (value: unknown) => boolean): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const key in value) {
    if (!Object.hasOwn(value, key) || key === '__proto__' || !isKey(key) || !isValue((value as Fields)[key])) return false;
  }
  return true;
}

const isShortKey = (key: string): boolean => key.length <= 64;
const isScalarRecord = (value: unknown): boolean => isRecordOf(value, isShortKey, isScalar);

function isArrayOf(value: unknown, max: number, isItem: (item: unknown) => boolean): boolean {
  if (!Array.isArray(value) || value.length > max) return false;
  for (const item of value) if (!isItem(item)) return false;
  return true;
}

const PROGRESS_STATES: ReadonlySet<unknown> = new Set(progressStateSchema.options);

/** nextIndex and matchIndex, with the flow-control state and in-flight count both or neither (older nodes). */
function isProgress(value: unknown): boolean {
  const withFlow = typeof value === 'object' && value !== null && 'state' in value;
  if (!isObjectWithKeys(value, withFlow ? 4 : 2) || !(isCount(value['nextIndex']) && isCount(value['matchIndex']))) return false;
  return !withFlow || (PROGRESS_STATES.has(value['state']) && isCount(value['inflight']));
}

function isNodeState(value: unknown): boolean {
  // The snapshot fields are optional in the schema; nodes send both, and this check takes them both or neither.
  const withSnapshot = typeof value === 'object' && value !== null && 'snapshotIndex' in value;
  if (!isObjectWithKeys(value, withSnapshot ? 12 : 10)) return false;
  if (withSnapshot && !(isCount(value['snapshotIndex']) && isCount(value['snapshotTerm']))) return false;
  const { electionDeadlineNs, progress } = value;
  return ROLES.has(value['role']) && isCount(value['term']) && isNodeIdOrNull(value['votedFor']) && isNodeIdOrNull(value['leaderId']) &&
    isCount(value['commitIndex']) && isCount(value['lastApplied']) && isCount(value['lastLogIndex']) && isCount(value['lastLogTerm']) &&
    (electionDeadlineNs === null || isTimeNs(electionDeadlineNs)) &&
    (progress === null || isRecordOf(progress, (key) => PROGRESS_KEY.test(key), isProgress));
}

function isLogEntry(value: unknown): boolean {
  if (!isObjectWithKeys(value, 3)) return false;
  const { command } = value;
  return isIntIn(value['index'], 1, Number.MAX_SAFE_INTEGER) && isCount(value['term']) &&
    (command === null || isStringOfLength(command, 0, 70_000));
}

function isRaftEventView(value: unknown): boolean {
  return isObjectWithKeys(value, 6) && RAFT_EVENT_KINDS.has(value['kind']) && isNodeId(value['node']) && isCount(value['term']) &&
    isStringOfLength(value['rule'], 0, 256) && isStringOfLength(value['reason'], 0, 2048) && isScalarRecord(value['data']);
}

const isEntrySummary = (value: unknown): boolean =>
  isObjectWithKeys(value, 2) && isIntIn(value['index'], 1, Number.MAX_SAFE_INTEGER) && isCount(value['term']);

function isMessageView(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const entries = (value as Fields)['entries'];
  return isObjectWithKeys(value, entries === undefined ? 5 : 6) && MESSAGE_TYPES.has(value['type']) && isNodeId(value['from']) &&
    isNodeId(value['to']) && isCount(value['term']) && isScalarRecord(value['fields']) &&
    (entries === undefined || isArrayOf(entries, 1024, isEntrySummary));
}

/** The kinds every write produces, about `node` itself, exactly as the schema would return them. */
export function isFrequentEventOf(raw: Fields, node: number): raw is UnsequencedLabEvent {
  if (raw['node'] !== node || !isTimeNs(raw['atNs'])) return false;
  switch (raw['type']) {
    case 'node-state':
      return isObjectWithKeys(raw, 4) && isNodeState(raw['state']);
    case 'log-write':
      return isObjectWithKeys(raw, 4) && isArrayOf(raw['entries'], 1024, isLogEntry);
    case 'raft':
      return isObjectWithKeys(raw, 4) && isRaftEventView(raw['event']);
    case 'message': {
      const { dropReason } = raw;
      return isObjectWithKeys(raw, 7) && DIRECTIONS.has(raw['direction']) && isStringOfLength(raw['id'], 0, 64) &&
        isMessageView(raw['message']) && (dropReason === null || isStringOfLength(dropReason, 0, 256));
    }
    default:
      return false;
  }
}
