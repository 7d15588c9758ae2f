// @vitest-environment happy-dom
// Class handouts: a run as one self-contained HTML file, with its steps, explanations, timeline and verdicts, and
// nothing from the run able to inject markup.
import { describe, expect, it } from 'vitest';
import { renderRunReport } from '../../../renderer/src/components/reports/run-report';

describe('a run report', () => {
  const report = renderRunReport({
    kind: 'exercise', title: 'A leader falls <script>', paper: '§5.2', intro: 'Crash **the leader**.',
    steps: [
      { id: 'a', text: 'Wait for a leader.', goal: 'a server is the leader', status: 'achieved', explain: 'A candidate won **a majority**.' },
      { id: 'b', text: 'Crash it.', goal: 'startLeader is crashed', status: 'pending', explain: 'not shown yet' },
    ],
    timelineSvg: '<svg xmlns="http://www.w3.org/2000/svg"><text>t1</text></svg>',
    violations: [{ invariant: 'election-safety', statement: 'Election Safety', detail: 'two leaders in term 3 <img>' }],
    linearizable: false, generatedAt: '6 Dec 2026',
  });

  it('is one self-contained page with the steps, the goals, and the explanations of the steps reached', () => {
    const page = new DOMParser().parseFromString(report, 'text/html');
    expect(page.title).toBe('A leader falls <script> · Raft Lab');
    expect(page.querySelectorAll('ol > li')).toHaveLength(2);
    expect(page.querySelector('li.achieved .explain')?.textContent).toContain('A candidate won a majority.');
    expect(report).not.toContain('not shown yet');
    expect(page.querySelector('li.pending')?.textContent).toContain('startLeader is crashed');
    expect(page.querySelector('figure svg')).not.toBeNull();
    expect(report).not.toMatch(/<link|<script src/); // nothing to fetch: it opens anywhere, offline
  });

  it('states the verdicts, and escapes everything the run wrote', () => {
    const page = new DOMParser().parseFromString(report, 'text/html');
    expect(page.querySelector('.verdicts')?.textContent).toContain('Election Safety: two leaders in term 3 <img>');
    expect(page.querySelector('.verdicts')?.textContent).toContain('NOT linearizable');
    expect(page.querySelectorAll('script, img')).toHaveLength(0);
  });
});
