// Builds the handout of the run on screen (the live lab's history: steps, timeline, verdicts) and saves it: as HTML
// anywhere; as PDF where the app can print (the desktop app's main process, report-pdf.ts); in a browser, through its
// print dialog (which offers "Save as PDF" too).
import { storeToRefs } from 'pinia';
import { useLabStore } from '../../stores/lab-store';
import { layoutTimeline } from '../timeline/timeline-layout';
import { timelineSvgText } from '../timeline/timeline-export';
import { downloadText } from '../../session/download';
import { printPage } from '../../session/print-page';
import { renderRunReport, type RunReport } from './run-report';

/** Wide enough for a printed page's worth of detail; the arrows beyond this many are summarised. */
const REPORT_WIDTH_PX = 1100;
const REPORT_MAX_ARROWS = 3000;
/** A message in flight this long (times the slow motion) is drawn as lost, as the live timeline does. */
const STALE_FLIGHT_NS = 2e9;

/** What the page showing the run knows; the lab's history adds the rest. */
export type RunReportBase = Omit<RunReport, 'timelineSvg' | 'violations' | 'linearizable' | 'generatedAt'>;

/** How a handout becomes a PDF here: saved by the desktop app, or through the browser's print dialog. */
export type PdfRoute = 'desktop' | 'print';

export interface RunReportActions {
  /** The handout's HTML. */
  build(base: RunReportBase): string;
  /** Downloads the handout as `fileStem`.html; returns its HTML. */
  save(base: RunReportBase, fileStem: string): string;
  readonly pdfRoute: PdfRoute;
  /** The handout as PDF (desktop) or printed (browser); resolves to a sentence for the page to show (or ''). */
  savePdf(base: RunReportBase, fileStem: string): Promise<string>;
}

export function useRunReport(): RunReportActions {
  const lab = useLabStore();
  const { history, liveView } = storeToRefs(lab);
  const bridge = typeof window === 'undefined' ? undefined : window.raftLab;
  const build = (base: RunReportBase): string => {
    const shown = history.value;
    const layout = shown.endNs > shown.startNs ? layoutTimeline({
      timeline: shown.timeline, startNs: shown.startNs, endNs: shown.endNs, widthPx: REPORT_WIDTH_PX, limitSeq: shown.lastSeq,
      edgeNs: shown.endNs, cursorNs: null, originNs: shown.originNs, highlightedOpKeys: new Set(), selectedMessageId: null,
      maxArrows: REPORT_MAX_ARROWS, staleFlightNs: STALE_FLIGHT_NS * Math.max(1, shown.live.settings.timeScale),
    }) : null;
    const violations = (liveView.value.violations ?? []).map((v) => ({ invariant: v.invariant, statement: v.statement, detail: v.detail }));
    const lastWorkload = [...shown.events].reverse().find((event) => event.type === 'workload');
    return renderRunReport({ ...base, timelineSvg: layout ? timelineSvgText(layout, base.title) : null, violations,
      linearizable: lastWorkload?.type === 'workload' ? lastWorkload.linearizable : null, generatedAt: new Date().toLocaleString() });
  };
  return {
    build,
    save(base, fileStem) {
      const html = build(base);
      downloadText(`${fileStem}.html`, html, 'text/html');
      return html;
    },
    pdfRoute: bridge?.saveReportPdf ? 'desktop' : 'print',
    async savePdf(base, fileStem) {
      const html = build(base);
      if (bridge?.saveReportPdf) {
        const result = await bridge.saveReportPdf({ html, fileName: `${fileStem}.pdf` });
        return result.saved ? `Saved ${result.fileName}.` : 'Not saved.';
      }
      printPage(html, base.title);
      return ''; // the print dialog is the answer
    },
  };
}
