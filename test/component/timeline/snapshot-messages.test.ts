// @vitest-environment happy-dom
// Log compaction in the UI: InstallSnapshot messages in the cluster view and on the timeline, the installed-snapshot
// marker, the "snapshot ≤ N (term T)" block of the logs view, and message types this UI does not know.
import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import { DEFAULT_SETTINGS } from '../../../src/protocol/lab-api';
import type { MessageView } from '../../../src/protocol/events';
import { LabHistory } from '../../../renderer/src/model/lab-history';
import { emptyModel } from '../../../renderer/src/model/model-state';
import { messageSummary } from '../../../renderer/src/model/event-summary';
import { arrowTitle, layoutTimeline } from '../../../renderer/src/components/timeline/timeline-layout';
import { livePaint, renderTimelineSvgBody } from '../../../renderer/src/components/timeline/timeline-svg';
import { messageLook } from '../../../renderer/src/components/cluster/message-motion';
import ClusterDiagram from '../../../renderer/src/components/cluster/ClusterDiagram.vue';
import LogRow from '../../../renderer/src/components/logs/LogRow.vue';
import { labView, nodeState } from '../shell/lab-fixtures';
import { EventStream } from '../model/event-builders';

const installSnapshot: MessageView = { type: 'InstallSnapshot', from: 1, to: 3, term: 2,
  fields: { lastIncludedIndex: 40, lastIncludedTerm: 2, offset: 0, dataChars: 812, done: true } };
const installed: MessageView = { type: 'InstallSnapshotReply', from: 3, to: 1, term: 2,
  fields: { lastIncludedIndex: 40, bytesStored: 812, done: true } };
// What a newer lab might send: shown plainly, never a crash.
const unknown = { type: 'Gossip', from: 2, to: 1, term: 2, fields: { rumour: 'x' } } as unknown as MessageView;

describe('InstallSnapshot in the cluster view', () => {
  it('is a diamond S with its snapshot in the tooltip, and its reply says when the snapshot is installed', () => {
    const look = messageLook(installSnapshot);
    expect(look.letter).toBe('S');
    expect(look.summary).toContain('snapshot ≤ 40 (term 2)');
    expect(look.summary).toContain('Figure 13');
    expect(messageLook(installed).verdict).toBe('granted');
    const view = labView([nodeState(1, { role: 'leader', term: 2 }), nodeState(2), nodeState(3)],
      { inFlight: [{ id: 's1', message: installSnapshot, sentAtNs: 5e9 - 1e6 }, { id: 'u1', message: unknown, sentAtNs: 5e9 - 1e6 }] });
    const wrapper = mount(ClusterDiagram, { props: { view, nowNs: view.atNs, selectedNodeId: null, selectedMessageId: null } });
    const glyph = wrapper.get('[data-testid="message-s1"]');
    expect(glyph.classes()).toEqual(expect.arrayContaining(['request', 'snapshot']));
    expect(glyph.find('rect[transform="rotate(45)"]').exists()).toBe(true);
    expect(wrapper.get('[data-testid="message-u1"]').classes()).toContain('other');
  });
});

describe('InstallSnapshot on the timeline', () => {
  it('draws a thick accent arrow with Figure 13 in its tooltip, and marks the installed snapshot', () => {
    const stream = new EventStream().startCluster(3, 2);
    stream.send('s1', installSnapshot);
    stream.wait(3);
    stream.receive('s1', installSnapshot);
    stream.raft(3, 'snapshot-installed', 2, 'installed the snapshot of entries up to 40 (term 2) from S1');
    stream.send('u1', unknown);
    stream.wait(100);
    const history = new LabHistory(emptyModel(DEFAULT_SETTINGS, stream.events[0]!.atNs));
    history.append(stream.events);
    const layout = layoutTimeline({ timeline: history.timeline, startNs: history.startNs, endNs: history.endNs, widthPx: 1000,
      limitSeq: history.lastSeq, edgeNs: history.endNs, cursorNs: null, originNs: history.originNs, highlightedOpKeys: new Set(),
      selectedMessageId: null, maxArrows: 2000, staleFlightNs: 2e9 });
    expect(layout.paths.map((path) => path.styleKey)).toEqual(expect.arrayContaining(['is', 'is-head', 'other-flight']));
    const svg = renderTimelineSvgBody(layout, livePaint);
    expect(svg).toContain('stroke="var(--accent)" stroke-width="3"');
    expect(arrowTitle(layout.arrowHits.find((hit) => hit.id === 's1')!)).toContain('Figure 13');
    const marker = layout.markers.find((m) => m.kind === 'snapshot');
    expect(marker?.label).toContain('S3: installed the snapshot');
  });

  it('summarises a message type it does not know by its fields', () => {
    expect(messageSummary(unknown)).toBe('Gossip S2→S1 t2 rumour=x');
    expect(messageSummary(installed)).toContain('installed snapshot ≤ 40');
  });
});

describe('the snapshot in the logs view', () => {
  const entries = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => ({ index: from + i, term: 2, command: null }));

  it('stands over the columns it covers, before the first retained entry', () => {
    const node = nodeState(2, { log: entries(1, 12), lastLogIndex: 12, commitIndex: 12, lastApplied: 12, snapshotIndex: 8, snapshotTerm: 2 });
    const wrapper = mount(LogRow, { props: { node, range: { first: 5, last: 12 }, marks: null, leaderId: null } });
    const block = wrapper.get('[data-testid="log-snapshot-2"]');
    expect(block.text()).toBe('snapshot ≤ 8 (term 2)');
    expect(block.attributes('style')).toContain('grid-column: 1 / 5');
    expect(wrapper.find('[data-testid="log-entry-2-8"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="log-entry-2-9"]').text()).toBe('2');
    expect(wrapper.find('.hidden-count').exists()).toBe(false);
  });

  it('stands before the row when the entries it covers are off to the left', () => {
    const node = nodeState(2, { log: entries(1, 30), lastLogIndex: 30, commitIndex: 30, lastApplied: 30, snapshotIndex: 10, snapshotTerm: 1 });
    const wrapper = mount(LogRow, { props: { node, range: { first: 21, last: 30 }, marks: null, leaderId: null } });
    expect(wrapper.get('[data-testid="log-snapshot-2"]').text()).toBe('snapshot ≤ 10 (term 1)');
    expect(wrapper.get('.hidden-count').text()).toBe('…10');
  });
});
