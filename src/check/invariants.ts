// Raft's safety properties (Figure 3 of the paper, plus durability, vote and read properties), checked
// incrementally after every simulated step. The checker sees what a perfect observer would: each node's state
// and log after each input, what each node applied, its durable (synced) log, every vote it granted and every
// read it served. It keeps its own mirrors of those logs with prefix hashes, so a step costs O(entries changed)
// plus O(nodes), not O(log length): cheap enough to run after every single event.

import type { Configuration, Entry, NodeId, Role } from '../raft/types';
import { extendPrefixHash, EMPTY_PREFIX_HASH } from './invariants/log-hash';
import { LogMirror, type LogChange } from './invariants/log-mirror';
import { describeEntry, renderReport } from './invariants/report';
import { InvariantViolation, type InvariantName } from './invariants/violation';

export { InvariantViolation, INVARIANT_STATEMENTS, type InvariantName } from './invariants/violation';

/** A node's state right after it handled one input. */
export interface NodeSnapshot {
  readonly id: NodeId;
  readonly role: Role;
  readonly term: number;
  readonly commitIndex: number;
  readonly lastLogIndex: number;
  /** Last index and term of its snapshot (§7; 0 and 0 without one): the compacted prefix. */
  readonly snapshotIndex: number;
  readonly snapshotTerm: number;
  /**
   * Its whole in-memory log after the snapshot, index snapshotIndex+1..n, which the checker diffs against its
   * mirror (required after a restart and after installing a snapshot); or null, and then the log writes
   * (Persist.entries) since the last observation, in order, each replacing the log from its first index on
   * (cheaper: no copy of the log). Either way the result must have `lastLogIndex` entries. The compacted prefix
   * is committed, so the checker mirrors it with the committed log (after checking the snapshot's term).
   */
  readonly log: readonly Entry[] | null;
  readonly writes: readonly (readonly Entry[])[];
}

export interface InvariantCheckerOptions {
  readonly members: readonly NodeId[];
  /** Printed in every report so that the failure replays. */
  readonly seed: number;
  /** Appended to every report, e.g. "replay: npm run sim -- --seed 42". */
  readonly replayHint?: string;
  /** Bound on ReadIndex requests remembered while awaiting an answer (oldest are forgotten first). */
  readonly maxPendingReads?: number;
  /**
   * For an observer whose reports lag (the lab watching real processes, src/lab/safety): true while the observer
   * cannot rule out that `node`'s durable log already holds the committed entries through `index` although its
   * latest report does not show them. Such a node counts as holding them in the durability check, which keeps it
   * free of false alarms; the simulator's observer sees every write at once and leaves this out.
   */
  readonly mayHoldUnreported?: (node: NodeId, index: number) => boolean;
  /**
   * Whether a node seen as candidate or leader of a term counts as having voted for itself in it (default true).
   * The simulator passes false and reports a self-vote once it is on disk (observeVote): a candidate that crashes
   * before its vote is durable has asked nobody for a vote and may vote for another in that term after a restart.
   */
  readonly selfVoteOnCandidacy?: boolean;
}

interface NodeTrack {
  alive: boolean;
  role: Role;
  term: number;
  commitIndex: number;
  /** The lowest term this node may report: its last term, or after a restart the term it had persisted. */
  termFloor: number;
  lastApplied: number;
  /** Term in which Leader Completeness was last verified for this node as leader (0 = never). */
  completenessCheckedTerm: number;
  readonly memory: LogMirror;
  readonly durable: LogMirror;
  /** Largest k such that the durable log matches the committed log through k. */
  durableMatch: number;
  /** Snapshot index last seen in memory and on disk. */
  snapshotIndex: number;
  durableSnapshotIndex: number;
}

const MAX_TERM = 0x20_0000; // composite (index, term) keys need term < 2^21
const TERM_FACTOR = 0x20_0000;

/** A configuration entry's voter sets (both halves of a joint one), as the durability check counts them. */
interface ConfigSeen {
  readonly index: number;
  readonly voterSets: readonly (readonly NodeId[])[];
}

export class InvariantChecker {
  private readonly members: NodeId[];
  private readonly tracks = new Map<NodeId, NodeTrack>();
  /** Configuration entries in the committed log, in index order, after the bootstrap configuration (index 0). */
  private readonly committedConfigs: ConfigSeen[];
  /** Every configuration entry ever written anywhere: index*2^21+term -> its voter sets. */
  private readonly configsSeen = new Map<number, ConfigSeen>();
  /** Election Safety: the leader seen for each term, ever. */
  private readonly leaderOfTerm = new Map<number, NodeId>();
  /** Log Matching: prefix hash of the first log seen holding (index, term). */
  private readonly prefixHashOf = new Map<number, number>();
  /** The committed log as observed: entries, prefix hashes, and the term of the first node that reported each. */
  private readonly committed: Entry[] = [];
  private readonly committedHashes: number[] = [EMPTY_PREFIX_HASH];
  private readonly committedInTerm: number[] = [0];
  /** For Leader Completeness: the highest committed index first observed in each term. */
  private readonly commitFrontierByTerm = new Map<number, number>();
  /** State Machine Safety: what was applied at each index (first application). */
  private readonly applied: (Entry | undefined)[] = [];
  /** One vote per term: voter*2^21+term -> candidate. */
  private readonly votes = new Map<number, NodeId>();
  /** ReadIndex requests awaiting an answer: requestId -> committed length when the read began. */
  private readonly pendingReads = new Map<string, number>();
  private readonly maxPendingReads: number;
  private nowMs = 0;

  constructor(private readonly options: InvariantCheckerOptions) {
    if (options.members.length === 0) throw new Error('InvariantChecker needs at least one member');
    this.members = [];
    this.committedConfigs = [{ index: 0, voterSets: [[...options.members]] }];
    this.maxPendingReads = options.maxPendingReads ?? 10_000;
    for (const id of options.members) this.addMember(id);
  }

  /**
   * A server joins the observed cluster (membership changes: it starts with an empty disk). Election Safety, one vote
   * per term and Log Matching then cover it like the others; durability counts it once a configuration names it.
   */
  addMember(id: NodeId): void {
    if (this.tracks.has(id)) throw new Error(`S${id} is already observed`);
    this.members.push(id);
    {
      this.tracks.set(id, {
        alive: true,
        role: 'follower',
        term: 0,
        commitIndex: 0,
        termFloor: 0,
        lastApplied: 0,
        completenessCheckedTerm: 0,
        memory: new LogMirror(),
        durable: new LogMirror(),
        durableMatch: 0,
        snapshotIndex: 0,
        durableSnapshotIndex: 0,
      });
    }
  }

  /** Length of the committed log observed so far. */
  get committedLength(): number {
    return this.committed.length;
  }

  committedEntry(index: number): Entry | undefined {
    return this.committed[index - 1];
  }

  /** Call after `node` handled an input (message, tick, proposal, restart). */
  observeNode(snapshot: NodeSnapshot, nowMs: number, fullScan = false): void {
    this.nowMs = nowMs;
    const track = this.track(snapshot.id);
    if (!track.alive) this.fail('log-well-formed', null, `S${snapshot.id} was observed while crashed`);
    const previousRole = track.role;
    const previousTerm = track.term;
    this.checkTerm(track, snapshot);
    const change = this.updateMemory(track, snapshot, fullScan);
    if (change !== null) this.checkLogChange(snapshot, change, previousRole, previousTerm);
    track.role = snapshot.role;
    track.term = snapshot.term;
    // A candidate (and so a leader) has voted for itself in its term (Figure 2, Candidates 1).
    if ((snapshot.role === 'candidate' || snapshot.role === 'leader') && previousTerm !== snapshot.term &&
      this.options.selfVoteOnCandidacy !== false) {
      this.observeVote(snapshot.id, snapshot.term, snapshot.id, nowMs);
    }
    this.checkElectionSafety(snapshot);
    this.checkCommit(track, snapshot);
    // After checkCommit: a leader may compact entries it committed in this very step.
    if (snapshot.snapshotIndex !== track.snapshotIndex) {
      this.checkSnapshot(snapshot.id, snapshot.snapshotIndex, snapshot.snapshotTerm, 'memory');
      track.snapshotIndex = snapshot.snapshotIndex;
    }
    if (snapshot.role === 'leader' && track.completenessCheckedTerm !== snapshot.term) {
      this.checkLeaderCompleteness(snapshot.id, snapshot.term);
      track.completenessCheckedTerm = snapshot.term;
    }
    if (track.lastApplied > track.commitIndex) {
      this.fail('state-machine-safety', track.lastApplied,
        `S${snapshot.id} applied index ${track.lastApplied} but its commitIndex is only ${track.commitIndex}`);
    }
  }

  /** Entries `node` just applied to its state machine, in order. Call before observeNode for the same step. */
  observeApplied(node: NodeId, entries: readonly Entry[], nowMs: number): void {
    this.nowMs = nowMs;
    const track = this.track(node);
    for (const entry of entries) {
      if (entry.index !== track.lastApplied + 1) {
        this.fail('state-machine-safety', entry.index,
          `S${node} applied index ${entry.index} right after index ${track.lastApplied}: entries must be applied in order, once`);
      }
      track.lastApplied = entry.index;
      const first = this.applied[entry.index];
      if (first === undefined) {
        this.applied[entry.index] = entry;
      } else if (first.term !== entry.term || first.command !== entry.command) {
        this.fail('state-machine-safety', entry.index,
          `S${node} applied ${describeEntry(entry)} at index ${entry.index}, but ${describeEntry(first)} was applied there before`);
      }
      const committed = this.committed[entry.index - 1];
      if (committed !== undefined && (committed.term !== entry.term || committed.command !== entry.command)) {
        this.fail('state-machine-safety', entry.index,
          `S${node} applied ${describeEntry(entry)} at index ${entry.index}, but ${describeEntry(committed)} is committed there`);
      }
    }
  }

  /**
   * `node` restored its state machine from a snapshot through `index` (installed from the leader, or read back at a
   * restart). `digest` is the prefix hash (log-hash.ts) of the log the state machine applied, carried in the
   * snapshot: State Machine Safety requires it to be the committed log's.
   */
  observeSnapshotApplied(node: NodeId, index: number, term: number, digest: number | null, nowMs: number): void {
    this.nowMs = nowMs;
    const track = this.track(node);
    if (index < track.lastApplied) {
      this.fail('state-machine-safety', index, `S${node} restored a snapshot through index ${index} after applying up to ${track.lastApplied}: its state machine went backwards`);
    }
    this.checkSnapshot(node, index, term, 'state machine');
    if (digest !== null && digest !== this.committedHashes[index]) {
      this.fail('state-machine-safety', index,
        `S${node} restored a snapshot through index ${index} whose state is not that of the committed entries 1..${index}: it applied a different log`);
    }
    track.lastApplied = index;
  }

  /** The node's durable (synced) log may have changed: `durableLog` holds the entries after its snapshot, if any. */
  observeDurableLog(node: NodeId, durableLog: readonly Entry[], nowMs: number, snapshotIndex = 0, snapshotTerm = 0): void {
    this.nowMs = nowMs;
    const track = this.track(node);
    let prefixChange: number | null = null;
    if (snapshotIndex !== track.durableSnapshotIndex) {
      this.checkSnapshot(node, snapshotIndex, snapshotTerm, 'disk');
      track.durableSnapshotIndex = snapshotIndex;
      prefixChange = this.mirrorCommittedPrefix(track.durable, snapshotIndex);
    }
    const suffixChange = track.durable.update(durableLog, false, snapshotIndex);
    const firstChanged = Math.min(prefixChange ?? Infinity, suffixChange?.firstChangedIndex ?? Infinity);
    if (firstChanged === Infinity) return;
    const change = { firstChangedIndex: firstChanged };
    if (change.firstChangedIndex <= track.durableMatch) track.durableMatch = change.firstChangedIndex - 1;
    this.refreshDurableMatch(track);
    this.checkDurability(change.firstChangedIndex);
  }

  /** `voter` granted its (real, not pre-) vote to `candidate` in `term`. */
  observeVote(voter: NodeId, term: number, candidate: NodeId, nowMs: number): void {
    this.nowMs = nowMs;
    this.track(voter);
    if (term >= MAX_TERM) throw new Error(`term ${term} too large for the checker`);
    const key = voter * TERM_FACTOR + term;
    const earlier = this.votes.get(key);
    if (earlier === undefined) this.votes.set(key, candidate);
    else if (earlier !== candidate) {
      this.fail('one-vote-per-term', null, `S${voter} granted its vote in term ${term} to S${earlier} and then to S${candidate}`);
    }
  }

  nodeCrashed(node: NodeId, nowMs: number): void {
    this.nowMs = nowMs;
    const track = this.track(node);
    track.alive = false;
    track.role = 'follower';
    track.memory.clear();
    track.snapshotIndex = 0;
  }

  /** A crashed node came back from its disk, which holds `persistedTerm`. Follow with observeNode. */
  nodeRestarted(node: NodeId, persistedTerm: number, nowMs: number): void {
    this.nowMs = nowMs;
    const track = this.track(node);
    track.alive = true;
    track.role = 'follower';
    track.termFloor = persistedTerm;
    track.term = persistedTerm;
    track.commitIndex = 0; // volatile state (Figure 2)
    track.lastApplied = 0;
    track.completenessCheckedTerm = 0;
    track.memory.clear();
    track.snapshotIndex = 0;
  }

  /**
   * A ReadIndex read began now (the client's request reached the cluster). `committedAtStart`: how much of the log an
   * observer with lagging reports knows was committed when the read began (at most what it has seen); the committed
   * length seen so far by default.
   */
  readStarted(requestId: string, nowMs: number, committedAtStart = this.committed.length): void {
    this.nowMs = nowMs;
    if (this.pendingReads.size >= this.maxPendingReads) {
      const oldest = this.pendingReads.keys().next();
      if (!oldest.done) this.pendingReads.delete(oldest.value);
    }
    this.pendingReads.set(requestId, Math.min(committedAtStart, this.committed.length));
  }

  /** Runs the durability check again (for a lagging observer: a node's reports caught up, see mayHoldUnreported). */
  recheckDurability(nowMs: number): void {
    this.nowMs = nowMs;
    this.checkDurability(1);
  }

  /** `node` confirmed a read at `index`: the read will see the state machine after `index`. */
  readServed(node: NodeId, requestId: string, index: number, nowMs: number): void {
    this.nowMs = nowMs;
    const committedAtStart = this.pendingReads.get(requestId);
    this.pendingReads.delete(requestId);
    if (committedAtStart !== undefined && index < committedAtStart) {
      this.fail('stale-read', committedAtStart,
        `S${node} served read ${requestId} at index ${index}, but index ${committedAtStart} was already committed when the read began: the read misses committed writes`);
    }
  }

  readFailed(requestId: string): void {
    this.pendingReads.delete(requestId);
  }

  private updateMemory(track: NodeTrack, snapshot: NodeSnapshot, fullScan: boolean): LogChange | null {
    let change: LogChange | null;
    if (snapshot.log !== null) {
      const oldLength = track.memory.length;
      // Installed or recovered: the snapshot came from committed entries observed earlier.
      this.checkSnapshot(snapshot.id, snapshot.snapshotIndex, snapshot.snapshotTerm, 'memory');
      const prefixChange = this.mirrorCommittedPrefix(track.memory, snapshot.snapshotIndex);
      change = track.memory.update(snapshot.log, fullScan, snapshot.snapshotIndex);
      if (prefixChange !== null) {
        change = { firstChangedIndex: Math.min(prefixChange, change?.firstChangedIndex ?? Infinity), oldLength, newLength: track.memory.length };
      }
    } else {
      change = null;
      const writes = snapshot.writes;
      for (let i = 0; i < writes.length; i++) {
        const next = track.memory.applySuffix(writes[i] as readonly Entry[]);
        if (next === null) continue;
        change = change === null ? next : {
          firstChangedIndex: Math.min(change.firstChangedIndex, next.firstChangedIndex),
          oldLength: change.oldLength,
          newLength: next.newLength,
        };
      }
    }
    if (track.memory.length !== snapshot.lastLogIndex) {
      throw new Error(`S${snapshot.id} reports lastLogIndex ${snapshot.lastLogIndex} but its log (as written) has ${track.memory.length} entries`);
    }
    return change;
  }

  /** A snapshot stands for the committed prefix: mirror it as such. Returns the first index that changed, or null. */
  private mirrorCommittedPrefix(mirror: LogMirror, snapshotIndex: number): number | null {
    if (snapshotIndex === 0) return null;
    return mirror.replacePrefix(snapshotIndex, (k) => this.committed[k - 1] as Entry, (k) => this.committedHashes[k] as number);
  }

  /** A snapshot may only cover committed entries, and its (index, term) must be the committed entry's (Log Matching). */
  private checkSnapshot(node: NodeId, index: number, term: number, where: string): void {
    if (index === 0) return;
    const committed = this.committed[index - 1];
    if (committed === undefined) {
      this.fail('state-machine-safety', index,
        `S${node}'s snapshot (${where}) covers index ${index}, but only ${this.committed.length} entries are known to be committed: §7 compacts committed entries only`);
    }
    if (committed.term !== term) {
      this.fail('log-matching', index,
        `S${node}'s snapshot (${where}) ends at index ${index} with term ${term}, but ${describeEntry(committed)} is committed there`);
    }
  }

  // ---- individual properties ------------------------------------------------------------------------------

  private checkTerm(track: NodeTrack, snapshot: NodeSnapshot): void {
    if (snapshot.term < track.term || snapshot.term < track.termFloor) {
      const floor = Math.max(track.term, track.termFloor);
      this.fail('monotonic-term', null, `S${snapshot.id} went from term ${floor} back to term ${snapshot.term}`);
    }
    if (snapshot.term >= MAX_TERM) throw new Error(`term ${snapshot.term} too large for the checker`);
  }

  private checkLogChange(snapshot: NodeSnapshot, change: LogChange, previousRole: Role, previousTerm: number): void {
    const id = snapshot.id;
    const mirror = this.track(id).memory;
    if (previousRole === 'leader' && snapshot.role === 'leader' && previousTerm === snapshot.term &&
        change.firstChangedIndex <= change.oldLength) {
      this.fail('leader-append-only', change.firstChangedIndex,
        `S${id}, leader of term ${snapshot.term}, changed its log from index ${change.firstChangedIndex} (length ${change.oldLength} -> ${change.newLength})`);
    }
    for (let index = change.firstChangedIndex; index <= change.newLength; index++) {
      const entry = mirror.entry(index) as Entry;
      if (entry.index !== index) {
        this.fail('log-well-formed', index, `S${id} holds an entry labelled index ${entry.index} at position ${index}`);
      }
      const previous = mirror.entry(index - 1);
      if (previous !== undefined && entry.term < previous.term) {
        this.fail('log-well-formed', index, `S${id}: term drops from ${previous.term} at index ${index - 1} to ${entry.term} at ${index}`);
      }
      if (entry.term > snapshot.term) {
        this.fail('log-well-formed', index, `S${id} in term ${snapshot.term} holds an entry from the future term ${entry.term}`);
      }
      if (entry.term >= MAX_TERM || entry.term < 1) this.fail('log-well-formed', index, `S${id}: entry term ${entry.term} out of range`);
      const key = index * TERM_FACTOR + entry.term;
      if (entry.config !== undefined && !this.configsSeen.has(key)) this.configsSeen.set(key, configSeen(index, entry.config));
      const hash = mirror.prefixHash(index);
      const known = this.prefixHashOf.get(key);
      if (known === undefined) this.prefixHashOf.set(key, hash);
      else if (known !== hash) {
        this.fail('log-matching', index,
          `S${id} holds an entry with index ${index} and term ${entry.term}, but its log up to there differs from another log that holds (index ${index}, term ${entry.term})`);
      }
    }
  }

  private checkElectionSafety(snapshot: NodeSnapshot): void {
    if (snapshot.role !== 'leader') return;
    const leader = this.leaderOfTerm.get(snapshot.term);
    if (leader === undefined) this.leaderOfTerm.set(snapshot.term, snapshot.id);
    else if (leader !== snapshot.id) {
      this.fail('election-safety', null, `S${leader} and S${snapshot.id} were both leader in term ${snapshot.term}`);
    }
  }

  private checkCommit(track: NodeTrack, snapshot: NodeSnapshot): void {
    const id = snapshot.id;
    const commitIndex = snapshot.commitIndex;
    if (commitIndex < track.commitIndex) {
      this.fail('monotonic-commit', commitIndex, `S${id}'s commitIndex went back from ${track.commitIndex} to ${commitIndex}`);
    }
    const mirror = track.memory;
    if (commitIndex > mirror.length) {
      const knew = track.commitIndex > mirror.length;
      this.fail(knew ? 'committed-entry-lost' : 'monotonic-commit', mirror.length + 1, knew
        ? `S${id} knew index ${track.commitIndex} committed but its log now ends at ${mirror.length}`
        : `S${id}'s commitIndex ${commitIndex} is beyond its last log index ${mirror.length}`);
    }
    // Everything up to commitIndex must agree with the committed log seen so far (this also catches a node that
    // lost or replaced an entry below its own commitIndex).
    const overlap = Math.min(commitIndex, this.committed.length);
    if (overlap > 0 && mirror.prefixHash(overlap) !== this.committedHashes[overlap]) {
      const index = mirror.matchingPrefixLength((k) => this.committedHashes[k] as number, overlap) + 1;
      this.fail(this.lostInvariant(index, 'state-machine-safety'), index,
        `S${id} has index ${index} committed as ${describeEntry(mirror.entry(index))}, but ${describeEntry(this.committed[index - 1])} was committed there before`);
    }
    track.commitIndex = commitIndex;
    if (commitIndex > this.committed.length) this.extendCommitted(snapshot, mirror, commitIndex);
  }

  private extendCommitted(snapshot: NodeSnapshot, mirror: LogMirror, commitIndex: number): void {
    const firstNew = this.committed.length + 1;
    for (let index = firstNew; index <= commitIndex; index++) {
      const entry = mirror.entry(index) as Entry;
      this.committed.push(entry);
      if (entry.config !== undefined) this.committedConfigs.push(configSeen(index, entry.config));
      this.committedHashes.push(mirror.prefixHash(index));
      this.committedInTerm.push(snapshot.term);
      const applied = this.applied[index];
      if (applied !== undefined && (applied.term !== entry.term || applied.command !== entry.command)) {
        this.fail('state-machine-safety', index,
          `${describeEntry(entry)} is committed at index ${index}, but ${describeEntry(applied)} was applied there`);
      }
    }
    const frontier = this.commitFrontierByTerm.get(snapshot.term) ?? 0;
    if (commitIndex > frontier) this.commitFrontierByTerm.set(snapshot.term, commitIndex);
    // Leaders of later terms that are already in office must hold the newly committed entries.
    for (const [id, track] of this.tracks) {
      if (track.alive && track.role === 'leader' && track.term > snapshot.term) this.checkLeaderHolds(id, track.term, commitIndex, snapshot.term);
    }
    for (const track of this.tracks.values()) this.refreshDurableMatch(track);
    this.checkDurability(firstNew);
  }

  /** Every entry committed in a term below `term` must be in the log of the leader of `term`. */
  private checkLeaderCompleteness(leader: NodeId, term: number): void {
    let required = 0;
    let requiredTerm = 0;
    for (const [commitTerm, index] of this.commitFrontierByTerm) {
      if (commitTerm < term && index > required) {
        required = index;
        requiredTerm = commitTerm;
      }
    }
    if (required > 0) this.checkLeaderHolds(leader, term, required, requiredTerm);
  }

  private checkLeaderHolds(leader: NodeId, term: number, committedIndex: number, commitTerm: number): void {
    const mirror = this.track(leader).memory;
    const limit = Math.min(committedIndex, mirror.length);
    const held = limit === 0 ? 0 : mirror.matchingPrefixLength((k) => this.committedHashes[k] as number, limit);
    if (held < committedIndex) {
      const index = held + 1;
      this.fail(this.lostInvariant(index, 'leader-completeness'), index,
        `S${leader} is leader of term ${term} but lacks ${describeEntry(this.committed[index - 1])} at index ${index}, committed by term ${commitTerm}`);
    }
  }

  private refreshDurableMatch(track: NodeTrack): void {
    const limit = Math.min(track.durable.length, this.committed.length);
    if (track.durableMatch === limit) return;
    track.durableMatch = track.durable.matchingPrefixLength((k) => this.committedHashes[k] as number, limit);
  }

  /** A committed configuration entry that a leader lacks or a server replaced is reported as such. */
  private lostInvariant(index: number, otherwise: InvariantName): InvariantName {
    return this.committed[index - 1]?.config !== undefined ? 'committed-configuration-lost' : otherwise;
  }

  /**
   * Each committed entry must sit in a majority of durable logs; the last committed entry is the binding one. With
   * membership changes, the majority is of the voters of a configuration that may have committed it: the latest
   * committed configuration, or any configuration written after it (a leader uses its latest, committed or not).
   */
  private checkDurability(firstAffectedIndex: number): void {
    const committedLength = this.committed.length;
    if (committedLength === 0 || firstAffectedIndex > committedLength) return;
    const mayHold = this.options.mayHoldUnreported;
    const holds = (id: NodeId, index: number): boolean => {
      const track = this.tracks.get(id);
      return track !== undefined && (track.durableMatch >= index || (mayHold !== undefined && mayHold(id, index)));
    };
    const voterSets = this.candidateVoterSets();
    for (const voters of voterSets) {
      let holders = 0;
      for (const id of voters) if (holds(id, committedLength)) holders++;
      if (holders >= Math.floor(voters.length / 2) + 1) return;
    }
    // Report the lowest committed index that lost its majority (of the latest committed configuration).
    const voters = voterSets[0] as readonly NodeId[];
    const majority = Math.floor(voters.length / 2) + 1;
    const matches = voters.map((id) => (holds(id, committedLength) ? committedLength : this.tracks.get(id)?.durableMatch ?? 0))
      .sort((a, b) => b - a);
    const index = (matches[majority - 1] ?? 0) + 1;
    const count = matches.filter((match) => match >= index).length;
    this.fail(this.lostInvariant(index, 'committed-entry-lost'), index,
      `${describeEntry(this.committed[index - 1])} at index ${index} is committed but only ${count} of ${voters.length} durable logs hold it (a majority is ${majority}): a crash now would lose it`);
  }

  /** The voter sets a majority of which must hold the last committed entry: see checkDurability. */
  private candidateVoterSets(): (readonly NodeId[])[] {
    const latest = this.committedConfigs[this.committedConfigs.length - 1] as ConfigSeen;
    const sets = [...latest.voterSets];
    if (this.configsSeen.size > 0) {
      for (const seen of this.configsSeen.values()) if (seen.index > latest.index) sets.push(...seen.voterSets);
    }
    return sets.filter((voters) => voters.length > 0);
  }

  // ---- reporting --------------------------------------------------------------------------------------------

  private track(id: NodeId): NodeTrack {
    const track = this.tracks.get(id);
    if (track === undefined) throw new Error(`node ${id} is not a member (${this.members.join(', ')})`);
    return track;
  }

  private fail(invariant: InvariantName, index: number | null, detail: string): never {
    throw new InvariantViolation(invariant, this.options.seed, this.nowMs, index, detail, this.report(invariant, index, detail));
  }

  /** The readable report: property, values, seed, time, and the logs around the index at stake. */
  report(invariant: InvariantName, index: number | null, detail: string): string {
    return renderReport({
      invariant, index, detail, seed: this.options.seed, timeMs: this.nowMs, replayHint: this.options.replayHint ?? null,
      committed: (k) => this.committed[k - 1],
      committedLength: this.committed.length,
      nodes: [...this.tracks].map(([id, track]) => ({
        id, alive: track.alive, role: track.role, term: track.term, commitIndex: track.commitIndex, snapshotIndex: track.snapshotIndex,
        memoryEntry: (k: number) => track.memory.entry(k),
        durableEntry: (k: number) => track.durable.entry(k),
      })),
    });
  }
}

/** Exposed for tests: the prefix hash of a whole log. */
export function prefixHashOfLog(log: readonly Entry[]): number {
  let hash = EMPTY_PREFIX_HASH;
  for (const entry of log) hash = extendPrefixHash(hash, entry);
  return hash;
}

function configSeen(index: number, config: Configuration): ConfigSeen {
  return { index, voterSets: config.outgoing.length > 0 ? [config.voters, config.outgoing] : [config.voters] };
}
