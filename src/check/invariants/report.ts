// The readable report of an invariant breach: the property in the paper's words, the values that broke it, the
// seed and simulated time, and every node's log (in memory and on disk) around the index at stake.

import type { Entry, NodeId, Role } from '../../raft/types';
import { INVARIANT_STATEMENTS, type InvariantName } from './violation';

const LOG_WINDOW = 3; // entries shown either side of the breach index

export interface ReportNode {
  readonly id: NodeId;
  readonly alive: boolean;
  readonly role: Role;
  readonly term: number;
  readonly commitIndex: number;
  /** Last index of its in-memory snapshot (§7; 0 without one): entries up to it are shown as committed ones. */
  readonly snapshotIndex: number;
  readonly memoryEntry: (index: number) => Entry | undefined;
  readonly durableEntry: (index: number) => Entry | undefined;
}

export interface ReportInput {
  readonly invariant: InvariantName;
  readonly index: number | null;
  readonly detail: string;
  readonly seed: number;
  readonly timeMs: number;
  readonly replayHint: string | null;
  readonly committed: (index: number) => Entry | undefined;
  readonly committedLength: number;
  readonly nodes: readonly ReportNode[];
}

export function renderReport(input: ReportInput): string {
  const lines = [
    `Invariant violated: ${INVARIANT_STATEMENTS[input.invariant]}`,
    `  ${input.detail}`,
    `  seed ${input.seed}, simulated time ${input.timeMs.toFixed(3)} ms`,
  ];
  const center = input.index ?? Math.max(1, input.committedLength);
  const from = Math.max(1, center - LOG_WINDOW);
  const to = center + LOG_WINDOW;
  lines.push(`  logs around index ${center} (index:term:command; * = at or below that node's commitIndex):`);
  lines.push(`    committed  ${formatWindow(input.committed, from, to, input.committedLength)}`);
  for (const node of input.nodes) {
    const snapshot = node.snapshotIndex > 0 ? ` snapshot=${node.snapshotIndex}` : '';
    lines.push(`    S${node.id} ${node.alive ? `${node.role} t${node.term} commit=${node.commitIndex}${snapshot}` : 'crashed'}`);
    if (node.alive) lines.push(`      memory   ${formatWindow(node.memoryEntry, from, to, node.commitIndex)}`);
    lines.push(`      durable  ${formatWindow(node.durableEntry, from, to, 0)}`);
  }
  if (input.replayHint !== null) lines.push(`  replay: ${input.replayHint}`);
  return lines.join('\n');
}

function formatWindow(entryAt: (index: number) => Entry | undefined, from: number, to: number, commitIndex: number): string {
  const cells: string[] = [];
  for (let index = from; index <= to; index++) {
    const entry = entryAt(index);
    if (entry === undefined) break;
    cells.push(`${index}:t${entry.term}:${formatCommand(entry.command)}${index <= commitIndex ? '*' : ''}`);
  }
  if (from > 1) cells.unshift('...');
  return cells.length === 0 || (cells.length === 1 && from > 1) ? '(nothing there)' : cells.join(' ');
}

function formatCommand(command: string | null): string {
  if (command === null) return 'no-op';
  const shown = command.length > 24 ? `${command.slice(0, 21)}...` : command;
  return JSON.stringify(shown);
}

export function describeEntry(entry: Entry | undefined): string {
  if (entry === undefined) return 'no entry';
  const what = entry.config === undefined ? formatCommand(entry.command)
    : `configuration: voters ${entry.config.voters.map((id) => `S${id}`).join(',')}` +
      (entry.config.outgoing.length > 0 ? ` (joint with old voters ${entry.config.outgoing.map((id) => `S${id}`).join(',')})` : '');
  return `entry (index ${entry.index}, term ${entry.term}, ${what})`;
}
