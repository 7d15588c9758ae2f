// Builds the handout of the run on screen (the live lab's history: steps, timeline, verdicts) and saves it.
import { storeToRefs } from 'pinia';
import { useLabStore } from '../../stores/lab-store';
import { layoutTimeline } from '../timeline/timeline-layout';
import { timelineSvgText } from '../timeline/timeline-export';
import { downloadText } from '../../session/download';
import { renderRunReport, type RunReport } from './run-report';

/** Wide enough for a printed page's worth of detail; the arrows beyond this many are summarised. */
const REPORT_WIDTH_PX = 1100;
const REPORT_MAX_ARROWS = 3000;
/** A message in flight this long (times the slow motion) is drawn as lost, as the live timeline does. */
const STALE_FLIGHT_NS = 2e9;

export function useRunReport(): { save(report: Omit<RunReport, 'timelineSvg' | 'violations' | 'linearizable' | 'generatedAt'>, filename: string): string } {
  const lab = useLabStore();
  const { history, liveView } = storeToRefs(lab);
  return {
    save(base, filename) {
      const shown = history.value;
      const layout = shown.endNs > shown.startNs ? layoutTimeline({
        timeline: shown.timeline, startNs: shown.startNs, endNs: shown.endNs, widthPx: REPORT_WIDTH_PX, limitSeq: shown.lastSeq,
        edgeNs: shown.endNs, cursorNs: null, originNs: shown.originNs, highlightedOpKeys: new Set(), selectedMessageId: null,
        maxArrows: REPORT_MAX_ARROWS, staleFlightNs: STALE_FLIGHT_NS * Math.max(1, shown.live.settings.timeScale),
      }) : null;
      const violations = (liveView.value.violations ?? []).map((v) => ({ invariant: v.invariant, statement: v.statement, detail: v.detail }));
      const lastWorkload = [...shown.events].reverse().find((event) => event.type === 'workload');
      const html = renderRunReport({ ...base, timelineSvg: layout ? timelineSvgText(layout, base.title) : null, violations,
        linearizable: lastWorkload?.type === 'workload' ? lastWorkload.linearizable : null, generatedAt: new Date().toLocaleString() });
      downloadText(filename, html, 'text/html');
      return html;
    },
  };
}
