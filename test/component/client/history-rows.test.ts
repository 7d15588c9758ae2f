// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { mount } from '@vue/test-utils';
import type { HistoryEntryView, LinearizabilityVerdict } from '../../../src/protocol/lab-api';
import { historyRows, violationOpKeys } from '../../../renderer/src/components/client/history-rows';
import { draftToSpec, DEFAULT_WORKLOAD } from '../../../renderer/src/components/client/workload-form';
import VerdictBox from '../../../renderer/src/components/client/VerdictBox.vue';
import HistoryTable from '../../../renderer/src/components/client/HistoryTable.vue';
import { useLabStore } from '../../../renderer/src/stores/lab-store';

const history: HistoryEntryView[] = [
  { client: 1, op: 'put', key: 'x', value: '1', call: 1e9, ret: 1.002e9, status: 'ok' },
  { client: 2, op: 'put', key: 'x', value: '2', call: 1.001e9, ret: 1.003e9, status: 'ok' },
  { client: 3, op: 'get', key: 'x', value: '1', call: 1.004e9, ret: 1.005e9, status: 'ok' },
];
const violation: LinearizabilityVerdict = { linearizable: false, timedOut: false,
  violation: { key: 'x', opIndexes: [1, 2], explanation: 'the get returned 1 after the put of 2 completed' } };

describe('workload history', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('flags the operations of a violation and names them as the timeline does', () => {
    const rows = historyRows(history, violation);
    expect(rows.map((row) => row.inViolation)).toEqual([false, true, true]);
    expect(rows[2]).toMatchObject({ argument: '→ 1', callMs: 4, durationMs: 1 });
    expect(violationOpKeys(history, violation)).toEqual(['2:1001000000', '3:1004000000']);
  });

  it('keeps the table bounded but always shows the violation\'s rows', () => {
    const long = Array.from({ length: 500 }, (_, i): HistoryEntryView => ({ client: 1, op: 'get', key: 'k', value: null, call: i, ret: i + 1, status: 'ok' }));
    const rows = historyRows(long, { linearizable: false, timedOut: false, violation: { key: 'k', opIndexes: [3], explanation: '' } }, 200);
    expect(rows).toHaveLength(201);
    expect(rows[0]?.index).toBe(3);
  });

  it('highlights a violation on the timeline through the lab store, and in the table', () => {
    const wrapper = mount(VerdictBox, { props: { verdict: violation, history } });
    expect(useLabStore().highlightedOpKeys).toEqual(['2:1001000000', '3:1004000000']);
    expect(wrapper.text()).toContain('Not linearizable');
    expect(wrapper.text()).toContain('the get returned 1 after the put of 2 completed');
    const table = mount(HistoryTable, { props: { history, truncated: false, verdict: violation } });
    expect(table.get('[data-testid="history-row-1"]').attributes('data-violation')).toBe('true');
    expect(table.get('[data-testid="history-row-0"]').attributes('data-violation')).toBe('false');
  });

  it('converts the workload form to a spec, refusing an empty mix', () => {
    const converted = draftToSpec({ ...DEFAULT_WORKLOAD, clients: 0, mix: { get: 50, put: 50, cas: 0, delete: 0 } });
    expect(converted).toEqual({ ok: true, spec: { ratePerSecond: 20, clients: 1, keys: 3, mix: { get: 0.5, put: 0.5 } } });
    expect(draftToSpec({ ...DEFAULT_WORKLOAD, mix: { get: 0, put: 0, cas: 0, delete: 0 } }).ok).toBe(false);
  });
});
