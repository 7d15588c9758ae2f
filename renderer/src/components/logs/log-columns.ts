// Which log indices the logs view shows and what is marked on each row. All rows share the same columns, so that
// entries at the same index line up and students can compare logs at a glance (as in the Raft paper's figures).
import type { LogEntryView } from '../../../../src/protocol/lab-api';
import type { LabView, NodeViewState } from '../../model/lab-view';
import type { ConfigurationView } from '../../../../src/protocol/events';
import { describeConfiguration } from '../../model/configuration-text';

/** Boxes per row; older entries are summarised as a count (a long-running cluster must not freeze the view). */
export const MAX_LOG_COLUMNS = 40;

/** What a log row draws beside its boxes, in rem (LogRow.vue's sizes): the "…N" count of earlier entries with its gap,
 * and the room kept right of the last box for the markers' labels: "commit·applied" under the last entry, with the
 * leader's nextIndex in the column after it, ends ~1.9rem past the grid. (Under the very last column, with no leader,
 * it would end ~3.9rem past: the grid's padding keeps that room, and the row scrolls to it.) */
const HIDDEN_COUNT_REM = 2.7;
const MARKER_ROOM_REM = 2.5;
/** A box (--box-size) in rem; the grid adds a 2 px gap after each. */
const BOX_REM = 1.9;
const BOX_GAP_PX = 2;
/** Fewer than this and a row no longer shows a log: it scrolls instead. */
const MIN_LOG_COLUMNS = 3;

/** How many boxes fit in a log row's track (the row less the server's name) `trackPx` wide, at `remPx` to the rem:
 * with the "…N" count of earlier entries beside them (`counted`) or without (when the whole log fits). */
export function fittingColumns(trackPx: number, remPx: number, counted: boolean): number {
  const room = trackPx - ((counted ? HIDDEN_COUNT_REM : 0) + MARKER_ROOM_REM) * remPx;
  const columns = Math.floor(room / (BOX_REM * remPx + BOX_GAP_PX));
  return Math.min(MAX_LOG_COLUMNS, Math.max(MIN_LOG_COLUMNS, columns));
}

/** The columns to show: the whole log when it fits without the count, else its newest part beside the count. */
export function fittedColumnRange(view: Pick<LabView, 'nodes' | 'leaderId'>, trackPx: number, remPx: number): ColumnRange {
  const whole = columnRange(view, fittingColumns(trackPx, remPx, false));
  return whole.first === 1 ? whole : columnRange(view, fittingColumns(trackPx, remPx, true));
}

export interface ColumnRange {
  /** First index shown (>= 1). */
  readonly first: number;
  /** Last index shown; first > last when every log is empty and no marker needs a column. */
  readonly last: number;
}

export interface FollowerMarks {
  readonly nextIndex: number;
  readonly matchIndex: number;
}

/**
 * The first column moves in steps of a quarter of the row: appending an entry then adds one box instead of shifting
 * every box of every row one column left (which re-laid out and repainted the whole view for each new entry).
 */
export function columnPage(maxColumns: number): number {
  return Math.max(1, Math.floor(maxColumns / 4));
}

export function columnRange(view: Pick<LabView, 'nodes' | 'leaderId'>, maxColumns: number = MAX_LOG_COLUMNS): ColumnRange {
  let last = 0;
  for (const node of Object.values(view.nodes)) {
    last = Math.max(last, node.lastLogIndex, node.log.at(-1)?.index ?? 0);
  }
  // A leader's nextIndex may point one past its last entry: give that marker a column.
  const leader = view.leaderId === null ? undefined : view.nodes[view.leaderId];
  for (const progress of Object.values(leader?.progress ?? {})) last = Math.max(last, progress.nextIndex);
  const page = columnPage(maxColumns);
  return { first: Math.max(1, 1 + page * Math.ceil((last - maxColumns) / page)), last };
}

/** The leader's nextIndex/matchIndex for `nodeId`, if there is a leader and it is not `nodeId`. */
export function followerMarks(view: Pick<LabView, 'nodes' | 'leaderId'>, nodeId: number): FollowerMarks | null {
  if (view.leaderId === null || view.leaderId === nodeId) return null;
  return view.nodes[view.leaderId]?.progress?.[nodeId] ?? null;
}

/** What a log row draws of a node: few fields, so that a heartbeat (which moves the election deadline) does not redraw it. */
export type LogRowNode = Pick<NodeViewState, 'id' | 'status' | 'role' | 'log' | 'commitIndex' | 'lastApplied' | 'lastLogIndex'
  | 'snapshotIndex' | 'snapshotTerm'>;

export function logRowNode(node: NodeViewState): LogRowNode {
  const { id, status, role, log, commitIndex, lastApplied, lastLogIndex, snapshotIndex = 0, snapshotTerm = 0 } = node;
  return { id, status, role, log, commitIndex, lastApplied, lastLogIndex, snapshotIndex, snapshotTerm };
}

/** Where a row draws the node's snapshot (§7): over the columns it covers, or before the grid when they are off the left. */
export interface SnapshotBlock {
  readonly lastIndex: number;
  readonly lastTerm: number;
  /** Grid columns it covers (1-based, inclusive); null: all of them lie before the first column shown. */
  readonly columns: { readonly from: number; readonly to: number } | null;
}

export function snapshotBlock(node: Pick<NodeViewState, 'snapshotIndex' | 'snapshotTerm'>, range: ColumnRange): SnapshotBlock | null {
  const lastIndex = node.snapshotIndex ?? 0;
  if (lastIndex <= 0) return null;
  const lastTerm = node.snapshotTerm ?? 0;
  if (lastIndex < range.first) return { lastIndex, lastTerm, columns: null };
  return { lastIndex, lastTerm, columns: { from: 1, to: Math.min(lastIndex, range.last) - range.first + 1 } };
}

export interface LogCell {
  readonly index: number;
  readonly entry: LogEntryView | null;
  readonly committed: boolean;
  readonly applied: boolean;
}

/** One cell per column of `range` for `node`'s log: the entry at that index (or none) and its state. */
/** Indices covered by the node's snapshot get no cell: the snapshot block stands there instead. */
export function logCells(node: Pick<NodeViewState, 'log' | 'commitIndex' | 'lastApplied' | 'snapshotIndex'>, range: ColumnRange): LogCell[] {
  const byIndex = new Map<number, LogEntryView>();
  for (let i = node.log.length - 1; i >= 0; i -= 1) {
    const entry = node.log[i];
    if (!entry || entry.index < range.first) break;
    byIndex.set(entry.index, entry);
  }
  const cells: LogCell[] = [];
  for (let index = Math.max(range.first, (node.snapshotIndex ?? 0) + 1); index <= range.last; index += 1) {
    const entry = byIndex.get(index) ?? null;
    cells.push({ index, entry, committed: entry !== null && index <= node.commitIndex, applied: entry !== null && index <= node.lastApplied });
  }
  return cells;
}

/**
 * An entry as students read it: a configuration entry (dissertation ch. 4) names its configuration, which every
 * server uses from the moment it appends it (§4.1); anything else as describeCommand says.
 */
export function describeEntry(entry: { readonly command: string | null; readonly config?: ConfigurationView }): string {
  if (entry.config) return `configuration: ${describeConfiguration(entry.config)} (in effect once appended, §4.1)`;
  return describeCommand(entry.command);
}

/** A KV command as students read it: `put x = 1`; the leader's no-op as `no-op`; anything else verbatim. */
export function describeCommand(command: string | null): string {
  if (command === null) return 'no-op (a new leader\'s first entry, §8)';
  try {
    const parsed: unknown = JSON.parse(command);
    if (typeof parsed === 'object' && parsed !== null && 'op' in parsed) {
      const fields = parsed as Record<string, unknown>;
      const op = String(fields['op']);
      const key = typeof fields['key'] === 'string' ? fields['key'] : '';
      if (op === 'put') return `put ${key} = ${String(fields['value'])}`;
      if (op === 'cas') return `cas ${key}: ${String(fields['from'])} → ${String(fields['to'])}`;
      return `${op} ${key}`.trim();
    }
  } catch {
    // Not JSON: shown as it is.
  }
  return command.length > 120 ? `${command.slice(0, 119)}…` : command;
}
