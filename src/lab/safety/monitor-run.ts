// The safety monitor for one cluster run: turns the lab's merged event stream into the calls of the invariant checker
// (src/check/invariants.ts) that the simulator makes, with what a lagging, out-of-order observer can know for sure.
//
// The stream is merged in arrival order, not causal order, and each node reports its Raft events when it decides,
// its log writes once they are durable and its state (live) after that. So:
// - A node's writes are handed to the checker with its next node-state, in the order the node reported them: a node
//   reports a write before the state that follows it, and its state's commit index never passes its durable log.
// - The checker's "log" of a node is its durable log as reported (the lab never sees the in-memory one).
// - Votes count once the monitor knows they were durable: see vote-ledger.ts.
// - Durability (a committed entry on a majority of disks) gives a node whose latest report predates the entry's commit
//   the benefit of the doubt: see commit-clock.ts and InvariantCheckerOptions.mayHoldUnreported.
// - When it loses track of a node (dropped events, a snapshot installed while newer writes were in flight) it stops
//   checking that node until the node restarts, rather than guess.
// Every check that remains is one the real stream supports exactly; docs/architecture.md lists the approximations.
import { InvariantChecker, InvariantViolation, type NodeSnapshot } from '../../check/invariants';
import type { LabEvent } from '../../protocol/events';
import type { BugName, Configuration, Entry, NodeId, Role } from '../../raft/types';
import { CommitClock } from './commit-clock';
import { KeyVersions } from './key-versions';
import { NodeFeed } from './node-feed';
import { violationEvent, type ViolationEvent } from './violation-event';
import { VoteLedger } from './vote-ledger';

/**
 * Stands for every command when nodes do not report them (quiet detail): logs are compared by index and term. One
 * character: the checker hashes every entry's command into its prefix hashes, and this runs in benchmarks.
 */
export const UNREPORTED_COMMAND = '?';
/** The checker keeps every entry it has seen: past this many the monitor stops rather than grow without bound. */
export const MAX_MONITORED_ENTRIES = 200_000;

export interface MonitorRunOptions {
  readonly nodeCount: number;
  readonly bugs: readonly BugName[];
  /** With pre-vote on, a candidate's "vote received" may be a pre-vote: such reports then prove nothing. */
  readonly preVote: boolean;
  /** False when nodes report log entries without their commands (quiet detail). */
  readonly commands: boolean;
  readonly onViolation: (event: ViolationEvent) => void;
  /** The monitor stopped checking (a bound was reached): said once. */
  readonly onStopped: (why: string) => void;
}

export interface ReadOutcome {
  readonly key: string;
  readonly callNs: number;
  readonly value: string | null;
  readonly servedBy: NodeId;
  /** The read index the serving node confirmed. */
  readonly index: number;
}

type NodeEvent = Extract<LabEvent, { node: NodeId | null }>;
type StateEvent = Extract<LabEvent, { type: 'node-state' }>;
type RaftEvent = Extract<LabEvent, { type: 'raft' }>;

export class MonitorRun {
  private readonly checker: InvariantChecker;
  private readonly feeds = new Map<NodeId, NodeFeed>();
  private readonly votes = new VoteLedger();
  private readonly commits = new CommitClock();
  private readonly keys: KeyVersions | null;
  private readonly reported = new Set<string>();
  private reads = 0;
  private stopped = false;

  constructor(private readonly o: MonitorRunOptions) {
    const members = Array.from({ length: o.nodeCount }, (_, i) => i + 1);
    for (const id of members) this.feeds.set(id, new NodeFeed());
    this.keys = o.commands ? new KeyVersions() : null;
    this.checker = new InvariantChecker({ members, seed: 0, replayHint: 'real node processes: see the lab\'s event log',
      mayHoldUnreported: (node, index) => this.mayHoldUnreported(node, index) });
  }

  observe(event: LabEvent): void {
    if (this.stopped || !('node' in event) || event.node === null) return;
    const feed = this.feeds.get(event.node) ?? this.joined(event.node);
    this.guard(event, feed, () => this.observeNodeEvent(event as NodeEvent, feed));
  }

  /**
   * A server added by a membership change (dissertation ch. 4) reports for the first time: the checker observes it
   * from now on, as the simulator's does an added node; durability counts it once a configuration names it.
   */
  private joined(id: NodeId): NodeFeed {
    const feed = new NodeFeed();
    this.feeds.set(id, feed);
    this.checker.addMember(id);
    return feed;
  }

  /** A client's read completed: checks it (stale-read) and says whether its value is proven stale. */
  judgeRead(read: ReadOutcome, atNs: number): boolean {
    if (this.stopped) return false;
    const committedAtStart = this.commits.committedBefore(read.callNs);
    const requestId = `read-${++this.reads}`;
    this.guard({ atNs }, null, () => {
      this.checker.readStarted(requestId, read.callNs / 1e6, committedAtStart);
      this.checker.readServed(read.servedBy, requestId, read.index, atNs / 1e6);
    });
    if (read.index >= committedAtStart || this.keys === null) return false;
    // The read missed committed entries; its value is stale if the key had a different value all along since.
    this.catchUpKeys();
    const values = this.keys.valuesBetween(read.key, committedAtStart, this.keys.appliedIndex);
    return values !== null && !values.has(read.value);
  }

  private observeNodeEvent(event: NodeEvent, feed: NodeFeed): void {
    switch (event.type) {
      case 'node-alive':
        feed.restarted();
        return;
      case 'log-write':
        if (!feed.suspended) feed.addWrite(event.entries.map((entry) => this.entry(entry.index, entry.term, entry.command, entry.config)));
        return;
      case 'log-terms':
        if (!feed.suspended) feed.addWrite(this.entriesOfRuns(event.from, event.last, event.runs));
        return;
      case 'node-state':
        if (!feed.suspended) this.observeState(event, feed);
        return;
      case 'raft':
        this.observeVotes(event, feed);
        return;
      case 'error':
        // The node's reporter could not keep up and dropped events (event-reporter.ts): its log is unknown now.
        if (/dropped \d+ events/.test(event.message)) feed.suspend('it dropped events');
        return;
      default:
        return;
    }
  }

  private observeState(event: StateEvent, feed: NodeFeed): void {
    const id = event.node;
    const state = event.state;
    const nowMs = event.atNs / 1e6;
    if (feed.awaitingFirstState) {
      this.observeFirstState(event, feed);
      return;
    }
    const snapshotIndex = state.snapshotIndex ?? 0;
    const snapshotTerm = state.snapshotTerm ?? 0;
    // Applied to the feed; the checker gets the same writes below (or, after an install, the log they left).
    const { writes, ok, installed: installedBefore } = feed.takeWrites(snapshotIndex, snapshotTerm);
    if (!ok) {
      feed.suspend('a reported write left a gap in its log');
      return;
    }
    let installed = installedBefore;
    if (!installed && snapshotIndex > feed.snapshotIndex && feed.entryAt(snapshotIndex)?.term !== snapshotTerm) {
      // Installed from the leader, discarding its log (Figure 13, step 7), and nothing written since.
      installed = true;
      feed.replaceBySnapshot(snapshotIndex);
    }
    if (installed && snapshotIndex > this.checker.committedLength) {
      feed.suspend('it installed a snapshot beyond the entries the monitor has seen committed');
      return;
    }
    this.observeApplied(feed, id, state.lastApplied, installed ? snapshotIndex : 0, snapshotTerm, nowMs);
    // A report caps the commit index at the durable log, which an install in progress has not yet replaced; the node
    // itself holds the snapshot's entries committed (Figure 13) and has applied them.
    const commitIndex = Math.max(feed.commitIndex, state.commitIndex, installed ? snapshotIndex : 0);
    this.checker.observeNode(this.snapshotOf(id, state, commitIndex, feed.lastIndex, installed ? feed.entriesAfter(snapshotIndex) : null,
      installed ? [] : writes), nowMs);
    if (state.role === 'leader') this.checker.observeVote(id, state.term, id, nowMs); // it won: its candidacy was durable
    if (snapshotIndex > feed.snapshotIndex) feed.dropPrefix(snapshotIndex);
    this.checker.observeDurableLog(id, feed.log, nowMs, feed.base, feed.base === 0 ? 0 : snapshotTerm);
    this.afterState(event, feed, commitIndex);
  }

  /** A (re)started process's first report: its recovered term, snapshot and log (reported since it said hello). */
  private observeFirstState(event: StateEvent, feed: NodeFeed): void {
    const id = event.node;
    const state = event.state;
    const nowMs = event.atNs / 1e6;
    feed.awaitingFirstState = false;
    const snapshotIndex = state.snapshotIndex ?? 0;
    const snapshotTerm = state.snapshotTerm ?? 0;
    if (snapshotIndex > this.checker.committedLength) {
      feed.suspend('it recovered a snapshot beyond the entries the monitor has seen committed');
      return;
    }
    if (!feed.adoptRecovered(snapshotIndex, snapshotTerm)) {
      feed.suspend('its recovered log had a gap');
      return;
    }
    if (feed.incarnation > 1) {
      this.checker.nodeCrashed(id, nowMs);
      this.checker.nodeRestarted(id, state.term, nowMs);
    }
    if (snapshotIndex > 0) this.checker.observeSnapshotApplied(id, snapshotIndex, snapshotTerm, null, nowMs);
    this.observeApplied(feed, id, state.lastApplied, 0, snapshotTerm, nowMs);
    this.checker.observeNode(this.snapshotOf(id, state, state.commitIndex, feed.lastIndex, [...feed.log], []), nowMs);
    this.checker.observeDurableLog(id, feed.log, nowMs, snapshotIndex, snapshotTerm);
    this.afterState(event, feed, state.commitIndex);
  }

  private afterState(event: StateEvent, feed: NodeFeed, commitIndex: number): void {
    const state = event.state;
    feed.commitIndex = commitIndex;
    feed.lastApplied = Math.max(feed.lastApplied, state.lastApplied);
    feed.snapshotIndex = Math.max(feed.snapshotIndex, state.snapshotIndex ?? 0);
    feed.streamNs = Math.max(feed.streamNs, event.atNs);
    this.commits.advanced(this.checker.committedLength, event.atNs);
    // This node's reports caught up: a durability breach that waited for them is certain now.
    this.checker.recheckDurability(event.atNs / 1e6);
    if (this.checker.committedLength > MAX_MONITORED_ENTRIES || feed.lastIndex > MAX_MONITORED_ENTRIES) {
      this.stopped = true;
      this.o.onStopped(`the safety monitor stopped after ${MAX_MONITORED_ENTRIES.toLocaleString('en-US')} log entries (its memory is bounded)`);
    }
  }

  /** Entries the node applied since its last report (restoring a snapshot through `restoredIndex` first, if any). */
  private observeApplied(feed: NodeFeed, id: NodeId, lastApplied: number, restoredIndex: number, snapshotTerm: number, nowMs: number): void {
    if (restoredIndex > feed.lastApplied) {
      this.checker.observeSnapshotApplied(id, restoredIndex, snapshotTerm, null, nowMs);
      feed.lastApplied = restoredIndex;
    }
    if (lastApplied <= feed.lastApplied) return;
    const applied: Entry[] = [];
    for (let index = feed.lastApplied + 1; index <= lastApplied; index += 1) {
      const entry = feed.entryAt(index);
      if (entry === undefined) throw new Error(`S${id} applied index ${index}, which its reported log does not hold`);
      applied.push(entry);
    }
    this.checker.observeApplied(id, applied, nowMs);
    feed.lastApplied = lastApplied;
  }

  private snapshotOf(id: NodeId, state: StateEvent['state'], commitIndex: number, lastLogIndex: number,
    log: readonly Entry[] | null, writes: readonly (readonly Entry[])[]): NodeSnapshot {
    return { id, role: checkedRole(state.role), term: state.term, commitIndex, lastLogIndex,
      snapshotIndex: state.snapshotIndex ?? 0, snapshotTerm: state.snapshotTerm ?? 0, log, writes };
  }

  /**
   * Votes: a grant proves the candidate's own vote was durable (it asks only then); a candidate that counts a vote
   * proves the voter's was (a voter answers only then); a winner voted for itself. Two grants of one process in one
   * term are a breach whatever reached the disk.
   */
  private observeVotes(event: RaftEvent, feed: NodeFeed): void {
    const raft = event.event;
    const nowMs = event.atNs / 1e6;
    if (raft.kind === 'vote-granted' && raft.data['preVote'] !== true && typeof raft.data['candidate'] === 'number') {
      const candidate = raft.data['candidate'];
      this.checker.observeVote(candidate, raft.term, candidate, nowMs);
      const earlier = this.votes.granted(event.node, feed.incarnation, raft.term, candidate);
      if (earlier !== null) {
        this.checker.observeVote(event.node, raft.term, earlier, nowMs);
        this.checker.observeVote(event.node, raft.term, candidate, nowMs);
      }
    } else if (raft.kind === 'vote-received' && !this.o.preVote && raft.data['granted'] === true && typeof raft.data['from'] === 'number') {
      this.checker.observeVote(raft.data['from'], raft.term, event.node, nowMs);
    } else if (raft.kind === 'became-leader') {
      this.checker.observeVote(event.node, raft.term, event.node, nowMs);
    }
  }

  private mayHoldUnreported(node: NodeId, index: number): boolean {
    const feed = this.feeds.get(node);
    return feed === undefined || feed.suspended !== null || feed.streamNs < this.commits.firstCommittedNs(index);
  }

  private catchUpKeys(): void {
    const keys = this.keys;
    if (keys === null) return;
    while (keys.appliedIndex < this.checker.committedLength) {
      const entry = this.checker.committedEntry(keys.appliedIndex + 1);
      if (entry === undefined) return;
      keys.apply(entry);
    }
  }

  /** A configuration entry keeps its configuration: the checker's durability counts the voters it names. */
  private entry(index: number, term: number, command: string | null, config?: Configuration): Entry {
    if (config !== undefined) return { index, term, command: null, config };
    return { index, term, command: this.o.commands ? command : UNREPORTED_COMMAND };
  }

  private entriesOfRuns(from: number, last: number, runs: readonly (readonly [number, number])[]): Entry[] {
    const entries: Entry[] = [];
    for (let r = 0; r < runs.length; r += 1) {
      const [start, term] = runs[r] as readonly [number, number];
      const end = Math.min(last, (runs[r + 1]?.[0] ?? last + 1) - 1);
      for (let index = Math.max(start, from); index <= end; index += 1) entries.push({ index, term, command: UNREPORTED_COMMAND });
    }
    return entries;
  }

  /** Runs `work`; a breach is reported once per invariant, anything else means the monitor lost track of the node. */
  private guard(event: { atNs: number }, feed: NodeFeed | null, work: () => void): void {
    try {
      work();
    } catch (error) {
      if (error instanceof InvariantViolation) {
        if (this.reported.has(error.invariant)) return;
        this.reported.add(error.invariant);
        this.o.onViolation(violationEvent(error, event.atNs, this.o.bugs));
      } else {
        feed?.suspend(`the monitor lost track of it: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}

/**
 * The checker counts a candidate's self-vote when it sees it as candidate; the lab may see a candidacy whose vote a
 * crash then lost before it was durable. So candidates are shown to the checker as followers, and a self-vote is
 * counted only once proven (see observeVotes).
 */
function checkedRole(role: Role): Role {
  return role === 'leader' ? 'leader' : 'follower';
}
