// What each workload client sends next. A client compares-and-sets from the value it last read or wrote on a key (a
// read-modify-write, as real clients do): a cas from a guessed value almost never matches, so the checker would hardly
// ever see one take effect. Puts and deletes stay blind writes that race with those cas. A client that knows no value
// to cas from reads the key first (its next cas then starts from what it read).
import type { ClientResult, KvOpName, WorkloadSpec } from '../../protocol/lab-api';
import type { HistoryRequest } from '../../check/history';

/** The start of a failed cas's error when the value did not match (kv-client.ts): its `value` is then the current one. */
export const CAS_MISMATCH_ERROR_PREFIX = 'cas failed:';

/** What one client last saw stored under each key: a value, null for absent, or nothing when it cannot know. */
type Knowledge = Map<string, string | null>;

export class WorkloadOps {
  private readonly knowledge: Knowledge[];
  private readonly lastKey: (string | null)[];
  private readonly mix: readonly [KvOpName, number][];
  private readonly mixTotal: number;

  /** `keyPrefix`: the run's keys are `${keyPrefix}0`..`${keyPrefix}${K-1}` (see Workload). */
  constructor(private readonly spec: Pick<WorkloadSpec, 'clients' | 'keys' | 'mix'>, private readonly random: () => number,
    private readonly keyPrefix = 'k') {
    this.knowledge = Array.from({ length: spec.clients }, () => new Map());
    this.lastKey = Array.from({ length: spec.clients }, () => null);
    this.mix = (Object.entries(spec.mix) as [KvOpName, number | undefined][])
      .filter((entry): entry is [KvOpName, number] => (entry[1] ?? 0) > 0);
    this.mixTotal = this.mix.reduce((sum, [, share]) => sum + share, 0);
  }

  /** Client `client`'s next request; a write stores `value` (unique per operation). */
  next(client: number, value: string): HistoryRequest {
    const op = this.pickOp();
    if (op !== 'cas') {
      const key = this.randomKey();
      return op === 'put' ? { op, key, value } : { op, key };
    }
    const known = this.casSource(client);
    if (known === null) return { op: 'get', key: this.lastKey[client] ?? this.randomKey() };
    return { op: 'cas', key: known.key, from: known.value, to: value };
  }

  /** What `client` learns from the answer to `request`. */
  learn(client: number, request: HistoryRequest, result: ClientResult): void {
    const known = this.knowledge[client];
    if (known === undefined) return;
    this.lastKey[client] = request.key;
    if (result.status === 'unknown') {
      // A write that may or may not have happened leaves the key's value unknown to this client.
      if (request.op !== 'get') known.delete(request.key);
      return;
    }
    if (result.status === 'fail') {
      const mismatch = request.op === 'cas' && (result.error ?? '').startsWith(CAS_MISMATCH_ERROR_PREFIX);
      if (mismatch) known.set(request.key, result.value);
      else if (request.op !== 'get') known.delete(request.key);
      return;
    }
    switch (request.op) {
      case 'get': known.set(request.key, result.value); return;
      case 'put': known.set(request.key, request.value); return;
      case 'cas': known.set(request.key, request.to); return;
      case 'delete': known.set(request.key, null); return;
    }
  }

  /**
   * The key to cas and the value to cas from: the key this client touched last if it knows a value there (the least
   * time for others to have changed it), else another key it knows a value of; null when it knows none.
   */
  private casSource(client: number): { key: string; value: string } | null {
    const known = this.knowledge[client];
    if (known === undefined) return null;
    const last = this.lastKey[client] ?? null;
    const lastValue = last === null ? undefined : known.get(last);
    if (last !== null && typeof lastValue === 'string') return { key: last, value: lastValue };
    const candidates = [...known].filter((entry): entry is [string, string] => typeof entry[1] === 'string');
    const picked = candidates[Math.floor(this.random() * candidates.length)];
    return picked === undefined ? null : { key: picked[0], value: picked[1] };
  }

  private randomKey(): string {
    return `${this.keyPrefix}${Math.floor(this.random() * this.spec.keys)}`;
  }

  private pickOp(): KvOpName {
    let draw = this.random() * this.mixTotal;
    for (const [op, share] of this.mix) {
      draw -= share;
      if (draw < 0) return op;
    }
    return this.mix[this.mix.length - 1]?.[0] ?? 'get';
  }
}
