// @vitest-environment happy-dom
// The handout's PDF: in the desktop app the renderer asks main (window.raftLab.saveReportPdf) with a request main
// accepts; in a browser it prints the handout from a hidden frame through the browser's print dialog.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { flushPromises, mount } from '@vue/test-utils';
import ReportButtons from '../../../renderer/src/components/reports/ReportButtons.vue';
import type { RunReportBase } from '../../../renderer/src/components/reports/useRunReport';
import { parseReportPdfRequest, type ReportPdfRequest, type ReportPdfResult } from '../../../src/protocol/report-pdf';

const BASE: RunReportBase = { kind: 'demo', title: 'A leader crash', steps: [{ id: 'one', text: 'The leader **falls**.', status: 'shown' }] };
const make = (): { base: RunReportBase; fileStem: string } => ({ base: BASE, fileStem: 'leader-crash-report' });

function mountButtons(): ReturnType<typeof mount> {
  return mount(ReportButtons, { props: { testIdPrefix: 'demo', holds: 'narration, timeline, verdicts', make }, attachTo: document.body });
}

beforeEach(() => setActivePinia(createPinia()));
afterEach(() => {
  delete window.raftLab;
  document.body.innerHTML = '';
  vi.restoreAllMocks();
});

describe('in the desktop app', () => {
  function desktop(answer: (request: ReportPdfRequest) => Promise<ReportPdfResult>): ReturnType<typeof vi.fn> {
    const saveReportPdf = vi.fn(answer);
    window.raftLab = { invoke: vi.fn(), onEvents: () => () => undefined, saveReportPdf };
    return saveReportPdf;
  }

  it('asks main to save the handout as PDF, with a request main accepts, and says where it went', async () => {
    const save = desktop(async () => ({ saved: true, fileName: 'leader-crash-report.pdf' }));
    const wrapper = mountButtons();
    const button = wrapper.get('[data-testid="demo-report-pdf"]');
    expect(button.text()).toBe('Save as PDF');
    await button.trigger('click');
    await flushPromises();
    expect(save).toHaveBeenCalledTimes(1);
    const request = save.mock.calls[0]?.[0] as ReportPdfRequest;
    expect(request.fileName).toBe('leader-crash-report.pdf');
    expect(request.html).toContain('<h1>A leader crash</h1>');
    expect(request.html).toContain('The leader <strong>falls</strong>.');
    expect(parseReportPdfRequest(request)).toEqual({ ok: true, value: request });
    expect(wrapper.get('[data-testid="demo-report-status"]').text()).toBe('Saved leader-crash-report.pdf.');
    expect(document.querySelector('iframe')).toBeNull(); // main prints it, not the page
  });

  it('lets "Saved …" go by itself (the presenter\'s bar stays clear), but keeps an error', async () => {
    vi.useFakeTimers();
    try {
      desktop(async () => ({ saved: true, fileName: 'leader-crash-report.pdf' }));
      const wrapper = mountButtons();
      await wrapper.get('[data-testid="demo-report-pdf"]').trigger('click');
      await flushPromises();
      expect(wrapper.get('[data-testid="demo-report-status"]').text()).toBe('Saved leader-crash-report.pdf.');
      await vi.advanceTimersByTimeAsync(10_000);
      expect(wrapper.find('[data-testid="demo-report-status"]').exists()).toBe(false);
      desktop(async () => { throw new Error('saveReportPdf refused: another handout is being printed'); });
      const failing = mountButtons();
      await failing.get('[data-testid="demo-report-pdf"]').trigger('click');
      await flushPromises();
      await vi.advanceTimersByTimeAsync(10_000);
      expect(failing.get('[data-testid="demo-report-status"]').text()).toMatch(/could not be made/);
    } finally {
      vi.useRealTimers();
    }
  });

  it('says so when the user cancels, and shows main\'s refusal', async () => {
    desktop(async () => ({ saved: false }));
    const wrapper = mountButtons();
    await wrapper.get('[data-testid="demo-report-pdf"]').trigger('click');
    await flushPromises();
    expect(wrapper.get('[data-testid="demo-report-status"]').text()).toBe('Not saved.');
    desktop(async () => { throw new Error('saveReportPdf refused: another handout is being printed'); });
    const again = mountButtons();
    await again.get('[data-testid="demo-report-pdf"]').trigger('click');
    await flushPromises();
    expect(again.get('[data-testid="demo-report-status"]').text()).toMatch(/could not be made: saveReportPdf refused: another handout/);
    expect(again.get('[data-testid="demo-report-pdf"]').attributes('disabled')).toBeUndefined();
  });
});

describe('in a browser', () => {
  it('keeps the HTML export and prints the handout from a hidden frame', async () => {
    const wrapper = mountButtons();
    expect(wrapper.get('[data-testid="demo-report"]').text()).toBe('Save report');
    const button = wrapper.get('[data-testid="demo-report-pdf"]');
    expect(button.text()).toBe('Print…');
    await button.trigger('click'); // the frame is in the page now; it prints once its page has loaded
    const frame = document.querySelector('iframe');
    expect(frame).not.toBeNull();
    expect(frame?.getAttribute('srcdoc') ?? frame?.srcdoc).toContain('<h1>A leader crash</h1>');
    const view = frame?.contentWindow;
    expect(view).toBeTruthy();
    const print = vi.fn();
    if (view) view.print = print;
    await vi.waitFor(() => expect(print).toHaveBeenCalledTimes(1));
    view?.dispatchEvent(new Event('afterprint'));
    expect(document.querySelector('iframe')).toBeNull();
    expect(wrapper.find('[data-testid="demo-report-status"]').exists()).toBe(false); // the print dialog is the answer
  });
});
