// The values each key took along the committed log, so that the monitor can tell whether a read's value is one the
// key still had when the read began or later. Fed the committed entries in order; bounded in keys and in versions
// per key (a question about a forgotten stretch gets "cannot tell").
import { decodeKvCommand } from '../../kv/command';
import { KvStateMachine } from '../../kv/state-machine';
import type { Entry } from '../../raft/types';

const MAX_KEYS = 10_000;
const MAX_VERSIONS_PER_KEY = 64;

interface Version { readonly index: number; readonly value: string | null }

interface KeyHistory {
  readonly versions: Version[];
  /** True once versions were dropped: values before the first kept one are unknown. */
  trimmed: boolean;
}

export class KeyVersions {
  private readonly machine = new KvStateMachine();
  private readonly keys = new Map<string, KeyHistory>();
  /** Set when the bounds were hit or an entry could not be applied: answers stop. */
  private gaveUp = false;

  get appliedIndex(): number {
    return this.machine.appliedIndex;
  }

  /** The committed entry right after `appliedIndex`. */
  apply(entry: Entry): void {
    if (this.gaveUp) return;
    const key = keyOf(entry.command);
    const before = key === null ? null : this.machine.read(key);
    try {
      this.machine.apply(entry.index, entry.command);
    } catch {
      this.gaveUp = true; // the stale-value answers stop; the invariant checks go on
      return;
    }
    if (key === null) return;
    const after = this.machine.read(key);
    if (after === before) return;
    let history = this.keys.get(key);
    if (history === undefined) {
      if (this.keys.size >= MAX_KEYS) {
        this.gaveUp = true;
        return;
      }
      history = { versions: [], trimmed: false };
      this.keys.set(key, history);
    }
    history.versions.push({ index: entry.index, value: after });
    if (history.versions.length > MAX_VERSIONS_PER_KEY) {
      history.versions.shift();
      history.trimmed = true;
    }
  }

  /**
   * The values `key` had at some index in [from, to] (the committed log as applied here must reach `to`), or null
   * when that is not known.
   */
  valuesBetween(key: string, from: number, to: number): Set<string | null> | null {
    if (this.gaveUp || to > this.machine.appliedIndex || from > to) return null;
    const history = this.keys.get(key);
    const versions = history?.versions ?? [];
    const values = new Set<string | null>();
    let atFrom: Version | undefined;
    for (const version of versions) {
      if (version.index <= from) atFrom = version;
      else if (version.index <= to) values.add(version.value);
    }
    if (atFrom !== undefined) values.add(atFrom.value);
    else if (history?.trimmed === true) return null; // the value at `from` was forgotten
    else values.add(null); // never written up to `from`
    return values;
  }
}

function keyOf(command: string | null): string | null {
  if (command === null) return null;
  try {
    return decodeKvCommand(command).key;
  } catch {
    return null;
  }
}
