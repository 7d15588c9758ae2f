// The grading report of `raft-lab maelstrom --report FILE.html`: one self-contained HTML page (no script, no external
// resource) with each scenario's verdict and, for a failed one, why, its failing operations and the timeline of its
// run: a lane per client with each operation from call to return (green ok, orange failed, grey unknown: open to the
// end), the failing operations outlined, and the faults as vertical marks on the same clock. Everything from the run
// (the student's lines, keys, values) is escaped.
import type { HistoryOp } from '../../check/history';
import type { RunRecord } from './maelstrom-run';
import type { ScenarioOutcome } from './grading-scenarios';

const WIDTH = 960;
const LANE_PX = 18;
const LEFT_PX = 70;
const MAX_OPS_DRAWN = 4000;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char);
}

export function gradingReportHtml(title: string, outcomes: readonly ScenarioOutcome[]): string {
  const passed = outcomes.filter((outcome) => outcome.passed).length;
  const rows = outcomes.map((outcome) => `<tr class="${outcome.passed ? 'pass' : 'fail'}"><td>${outcome.passed ? 'PASS' : 'FAIL'}</td>` +
    `<td><a href="#${outcome.scenario.id}">${escapeHtml(outcome.scenario.title)}</a></td><td>${escapeHtml(outcome.why)}</td>` +
    `<td>${outcome.result.summary.ops} ops (${outcome.result.summary.ok} ok, ${outcome.result.summary.fail} failed, ` +
    `${outcome.result.summary.unknown} unknown), ${outcome.result.summary.messages} messages</td></tr>`).join('\n');
  const sections = outcomes.map((outcome) => section(outcome)).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 2rem; color: #222; }
table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
tr.pass td:first-child { color: #176317; font-weight: 700; } tr.fail td:first-child { color: #b00020; font-weight: 700; }
pre { background: #f4f4f4; padding: 0.5rem; overflow-x: auto; max-height: 20rem; }
svg text { font: 11px system-ui, sans-serif; }
</style></head><body>
<h1>${escapeHtml(title)}</h1>
<p>${passed} of ${outcomes.length} scenarios passed.</p>
<table><tr><th>verdict</th><th>scenario</th><th>why</th><th>run</th></tr>
${rows}
</table>
${sections}
</body></html>
`;
}

function section(outcome: ScenarioOutcome): string {
  const record = outcome.result.record;
  const details = outcome.passed ? '' :
    `${record.failingOps.length > 0 ? `<h3>The smallest failing set of operations</h3><pre>${escapeHtml(record.failingOps.map((op) => JSON.stringify(op)).join('\n'))}</pre>` : ''}` +
    `${record.problems.length > 0 ? `<h3>What the nodes did wrong</h3><pre>${escapeHtml(record.problems.join('\n'))}</pre>` : ''}` +
    `<h3>Timeline of the run</h3>${timelineSvg(record)}`;
  return `<section id="${outcome.scenario.id}"><h2>${outcome.passed ? 'PASS' : 'FAIL'}: ${escapeHtml(outcome.scenario.title)}</h2>` +
    `<p>${escapeHtml(outcome.why)}</p>` +
    `${record.faults.length > 0 ? `<p>Faults: ${escapeHtml(record.faults.map((fault) => fault.description).join('; '))}</p>` : ''}${details}</section>`;
}

/** Client lanes with their operations, faults as marks; times on the one monotonic clock of the run. */
export function timelineSvg(record: RunRecord): string {
  const ops = record.ops.slice(0, MAX_OPS_DRAWN);
  if (ops.length === 0) return '<p>(no operations)</p>';
  const start = Math.min(...ops.map((op) => op.call), ...record.faults.map((fault) => fault.atNs));
  const end = Math.max(...ops.map((op) => op.ret ?? op.call), ...record.faults.map((fault) => fault.atNs)) + 1;
  const x = (ns: number): number => LEFT_PX + ((ns - start) / (end - start)) * (WIDTH - LEFT_PX - 10);
  const clients = [...new Set(ops.map((op) => op.client))].sort((a, b) => a - b);
  const laneOf = new Map(clients.map((client, i) => [client, i]));
  const failing = new Set(record.failingOps.map((op) => `${op.client}/${op.call}`));
  const height = 20 + clients.length * LANE_PX + 10;
  const lanes = clients.map((client, i) => `<text x="4" y="${30 + i * LANE_PX}">client ${client}</text>`).join('');
  // An unknown operation is open to the end, but its client went on after its time-out: draw it up to the next call.
  const nextCall = new Map<HistoryOp, number>();
  for (const client of clients) {
    const own = ops.filter((op) => op.client === client).sort((a, b) => a.call - b.call);
    own.forEach((op, i) => nextCall.set(op, own[i + 1]?.call ?? end));
  }
  const bars = ops.map((op) => bar(op, x, 20 + (laneOf.get(op.client) ?? 0) * LANE_PX, nextCall.get(op) ?? end,
    failing.has(`${op.client}/${op.call}`))).join('');
  const marks = record.faults.map((fault) => `<line x1="${x(fault.atNs).toFixed(1)}" x2="${x(fault.atNs).toFixed(1)}" y1="12" y2="${height - 4}" ` +
    `stroke="#7a3cff" stroke-dasharray="3 2"><title>${escapeHtml(fault.description)}</title></line>`).join('');
  const seconds = ((end - start) / 1e9).toFixed(1);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" role="img" aria-label="timeline of the run">` +
    `<text x="${LEFT_PX}" y="10">0 s</text><text x="${WIDTH - 50}" y="10">${seconds} s</text>${lanes}${marks}${bars}</svg>` +
    '<p>green: ok · orange: failed · grey: unknown (drawn until the next call of its client) · outlined red: the failing operations · purple dashes: faults (hover for what)</p>';
}

function bar(op: HistoryOp, x: (ns: number) => number, y: number, end: number, isFailing: boolean): string {
  const colour = op.status === 'ok' ? '#2e8b57' : op.status === 'fail' ? '#e08a00' : '#aaa';
  const from = x(op.call);
  const to = Math.max(from + 2, x(op.ret ?? end));
  const what = `${op.op} ${op.key}${op.op === 'put' ? ` = ${op.value}` : op.op === 'cas' ? ` ${op.from} -> ${op.to}` : ''}` +
    `${op.op === 'get' && op.status === 'ok' ? ` -> ${op.value ?? 'absent'}` : ''} (${op.status})`;
  return `<rect x="${from.toFixed(1)}" y="${y + 2}" width="${(to - from).toFixed(1)}" height="${LANE_PX - 6}" fill="${colour}"` +
    `${isFailing ? ' stroke="#d00" stroke-width="2"' : ''}><title>${escapeHtml(what)}</title></rect>`;
}
