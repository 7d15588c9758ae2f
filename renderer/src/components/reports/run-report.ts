// A class handout: an exercise or demo run as one self-contained HTML file — its steps and what became of each, the
// explanations, the final timeline (an inline SVG) and the verdicts (safety violations, the workload's
// linearizability). Everything from the run is escaped; the only markup is this file's and the markdown subset's.
import { renderMarkdown } from '../exercises/markdown';

export interface ReportStep {
  readonly id: string;
  /** Markdown: the step's text (exercise) or narration (demo). */
  readonly text: string;
  readonly status: 'achieved' | 'active' | 'pending' | 'shown';
  /** Markdown: why it happened (exercises). */
  readonly explain?: string;
  /** The goal in words (exercises). */
  readonly goal?: string;
}

export interface RunReport {
  readonly kind: 'exercise' | 'demo';
  readonly title: string;
  readonly paper?: string;
  readonly intro?: string;
  readonly steps: readonly ReportStep[];
  /** The timeline of the run as an SVG document, or null when there was nothing to draw. */
  readonly timelineSvg: string | null;
  readonly violations: readonly { readonly invariant: string; readonly statement: string; readonly detail: string }[];
  /** The last workload's verdict: true/false, or null when none ran. */
  readonly linearizable: boolean | null;
  readonly generatedAt: string;
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);

const STATUS_WORDS: Readonly<Record<ReportStep['status'], string>> = {
  achieved: '✓ achieved', active: '▶ in progress', pending: '· not reached', shown: '• shown',
};

/** The handout's only styles, inline (the file is self-contained); the app's CSP allows this exact text by its hash. */
export const REPORT_STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1c1c1c}
h1{margin-bottom:0}.meta{color:#555}ol{padding-left:1.4rem}li{margin:0.8rem 0}.status{font-weight:700}
.achieved .status{color:#1a7f37}.pending .status{color:#777}.explain{border-left:3px solid #1a7f37;padding-left:0.6rem}
.verdicts li{margin:0.2rem 0}.bad{color:#a40e26;font-weight:700}.ok{color:#1a7f37;font-weight:700}
figure{margin:1rem 0;overflow-x:auto;border:1px solid #ccc;border-radius:6px}code{background:#f2f2f2;padding:0 0.2rem}
@media print{figure{break-inside:avoid}}`;

export function renderRunReport(report: RunReport): string {
  const steps = report.steps.map((step) => `<li class="${step.status}"><p class="status">${escapeHtml(STATUS_WORDS[step.status])}</p>` +
    `${renderMarkdown(step.text)}${step.goal ? `<p><em>Goal:</em> ${escapeHtml(step.goal)}</p>` : ''}` +
    `${step.explain && step.status === 'achieved' ? `<div class="explain">${renderMarkdown(step.explain)}</div>` : ''}</li>`).join('');
  const violations = report.violations.length === 0
    ? '<li class="ok">No safety violation was observed.</li>'
    : report.violations.map((v) => `<li class="bad">${escapeHtml(v.statement)}: ${escapeHtml(v.detail)}</li>`).join('');
  const workload = report.linearizable === null ? '' : report.linearizable
    ? '<li class="ok">The workload\'s history was linearizable.</li>' : '<li class="bad">The workload\'s history was NOT linearizable.</li>';
  // The SVG is produced by this app from the lab's events (timeline-svg.ts escapes every text it holds).
  const timeline = report.timelineSvg === null ? '<p class="meta">No timeline was recorded.</p>' : `<figure>${report.timelineSvg}</figure>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(report.title)} · Raft Lab</title>` +
    `<style>${REPORT_STYLE}</style></head><body><h1>${escapeHtml(report.title)}</h1>` +
    `<p class="meta">Raft Lab ${report.kind}${report.paper ? ` · read ${escapeHtml(report.paper)}` : ''} · ${escapeHtml(report.generatedAt)}</p>` +
    `${report.intro ? renderMarkdown(report.intro) : ''}<h2>Steps</h2><ol>${steps}</ol>` +
    `<h2>Verdicts</h2><ul class="verdicts">${violations}${workload}</ul><h2>Timeline</h2>${timeline}</body></html>`;
}
