import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../src/protocol/lab-api';
import { LabHistory } from '../../../renderer/src/model/lab-history';
import { emptyModel } from '../../../renderer/src/model/model-state';
import { arrowTitle, layoutTimeline, type LayoutInput } from '../../../renderer/src/components/timeline/timeline-layout';
import { describeAt } from '../../../renderer/src/components/timeline/timeline-hit';
import { renderTimelineSvgDocument } from '../../../renderer/src/components/timeline/timeline-svg';
import { textBox } from '../../../renderer/src/components/timeline/text-boxes';
import { LABEL_FONT_PX } from '../../../renderer/src/components/timeline/timeline-scale';
import { EventStream, appendEntries } from '../model/event-builders';

function inputFor(history: LabHistory, overrides: Partial<LayoutInput> = {}): LayoutInput {
  return { timeline: history.timeline, startNs: history.startNs, endNs: history.endNs, widthPx: 1000, limitSeq: history.lastSeq,
    edgeNs: history.endNs, cursorNs: null, originNs: history.originNs, highlightedOpKeys: new Set(), selectedMessageId: null,
    maxArrows: 2000, staleFlightNs: 2e9, ...overrides };
}

function story(): LabHistory {
  const stream = new EventStream().startCluster(3, 1);
  stream.send('old', appendEntries(1, 3, 1));
  stream.wait(100);
  stream.send('a', appendEntries(1, 2, 1, [{ index: 1, term: 1 }]));
  stream.wait(10);
  stream.receive('a', appendEntries(1, 2, 1, [{ index: 1, term: 1 }]));
  stream.drop('x', appendEntries(1, 3, 1), 3, 'link blocked (partition, receiving side)');
  stream.wait(3000);
  stream.add({ type: 'error', node: null, message: 'later' });
  const history = new LabHistory(emptyModel(DEFAULT_SETTINGS, stream.events[0]!.atNs));
  history.append(stream.events);
  return history;
}

describe('timeline layout', () => {
  it('describes arrows in words on hover, with a dropped message\'s reason', () => {
    const history = story();
    const layout = layoutTimeline(inputFor(history));
    const titles = layout.arrowHits.map(arrowTitle);
    expect(titles).toContainEqual(expect.stringMatching(/^AppendEntries S1→S2 t1 .* entry 1 .* — delivered after 10\.\d\d ms$/));
    expect(titles).toContainEqual(expect.stringContaining('dropped: link blocked (partition, receiving side)'));
    const hit = layout.arrowHits.find((h) => h.id === 'a')!;
    expect(describeAt(layout, (hit.x1 + hit.x2) / 2, (hit.y1 + hit.y2) / 2)).toContain('delivered');
  });

  it('names a student\'s own message types beside their grey arrows, "? type", once per 240 px for each sender and type', () => {
    const stream = new EventStream().startCluster(3, 1);
    const own = (from: number, to: number, type: string) => ({ type, from, to, term: 0, fields: {} });
    for (let i = 0; i < 20; i += 1) {
      stream.send(`h${i}`, own(1, 2, 'append_entries'));
      stream.wait(5);
      stream.receive(`h${i}`, own(1, 2, 'append_entries'));
      stream.send(`r${i}`, own(2, 1, 'append_entries_ok'));
      stream.wait(5);
      stream.receive(`r${i}`, own(2, 1, 'append_entries_ok'));
      stream.wait(90);
    }
    const history = new LabHistory(emptyModel(DEFAULT_SETTINGS, stream.events[0]!.atNs));
    history.append(stream.events);
    const layout = layoutTimeline(inputFor(history));
    expect(layout.arrowHits).toHaveLength(40);
    expect(layout.paths.some((path) => path.styleKey === 'other')).toBe(true);
    const labels = layout.texts.filter((text) => text.styleKey === 'other-label');
    const sends = labels.filter((text) => text.text === '? append_entries');
    const replies = labels.filter((text) => text.text === '? append_entries_ok');
    expect(sends.length).toBeGreaterThan(1);
    expect(replies.length).toBeGreaterThan(1);
    // ~2 s over 1000 px: an arrow every ~50 px, so about one in five is named, none closer than 240 px.
    expect(sends.length).toBeLessThan(6);
    for (let i = 1; i < sends.length; i += 1) expect(sends[i]!.x - sends[i - 1]!.x).toBeGreaterThanOrEqual(240);
    // The built-in Raft's arrows carry no such label.
    expect(layoutTimeline(inputFor(story())).texts.some((text) => text.styleKey === 'other-label')).toBe(false);
  });

  it('prints no own type\'s name over another, over a band\'s words or over a lane\'s name', () => {
    // A busy student cluster: three servers, several types leaving each lane within a few px of each other.
    const stream = new EventStream().startCluster(3, 1);
    const own = (from: number, to: number, type: string) => ({ type, from, to, term: 0, fields: {} });
    for (let i = 0; i < 60; i += 1) {
      for (const [from, to, type] of [[1, 2, 'request_vote'], [1, 3, 'append_entries_ok'], [2, 1, 'append_entries'], [2, 3, 'append_entries'],
        [3, 2, 'request_vote_ok'], [2, 1, 'install_snapshot']] as const) {
        stream.send(`m${i}-${from}-${to}-${type}`, own(from, to, type));
        stream.wait(1);
        stream.receive(`m${i}-${from}-${to}-${type}`, own(from, to, type));
      }
      stream.wait(20);
    }
    const history = new LabHistory(emptyModel(DEFAULT_SETTINGS, stream.events[0]!.atNs));
    history.append(stream.events);
    const layout = layoutTimeline(inputFor(history));
    const sizes: Record<string, number> = { 'lane-label': LABEL_FONT_PX.lane, 'band-label': LABEL_FONT_PX.band, 'other-label': LABEL_FONT_PX.other };
    const words = layout.texts.filter((text) => sizes[text.styleKey] !== undefined)
      .map((text) => ({ text, box: textBox(text.x, text.y, text.text, sizes[text.styleKey] ?? 0) }));
    const named = words.filter((word) => word.text.styleKey === 'other-label');
    expect(named.length).toBeGreaterThan(5);
    expect(new Set(named.map((word) => word.text.text)).size, 'every type is named somewhere').toBe(5);
    named.forEach((word) => {
      for (const other of words) {
        if (other === word) continue;
        const apart = other.box.right <= word.box.left || word.box.right <= other.box.left || other.box.bottom <= word.box.top || word.box.bottom <= other.box.top;
        expect(apart, `"${word.text.text}" at ${word.text.x.toFixed(0)},${word.text.y} over "${other.text.text}" at ${other.text.x.toFixed(0)},${other.text.y}`).toBe(true);
      }
    });
  });

  it('draws a message with no receive for seconds as a stub that never arrived, not a line to the edge', () => {
    const history = story();
    const layout = layoutTimeline(inputFor(history));
    const old = layout.arrowHits.find((h) => h.id === 'old')!;
    expect(old.x2 - old.x1).toBeLessThan(20);
    expect(layout.paths.some((p) => p.styleKey === 'lost')).toBe(true);
  });

  it('at an earlier moment, later messages are not drawn and later arrivals are still in flight', () => {
    const history = story();
    const sendOfA = history.events.find((e) => e.type === 'message' && e.id === 'a')!;
    const layout = layoutTimeline(inputFor(history, { limitSeq: sendOfA.seq, edgeNs: sendOfA.atNs }));
    expect(layout.arrowHits.map((h) => [h.id, h.ended])).toEqual([['old', false], ['a', false]]);
  });

  it('exports a standalone SVG with colours resolved and text escaped', () => {
    const stream = new EventStream().startCluster(3, 1);
    stream.fault('partition', [3], '<S3> & "friends" cut off');
    const history = new LabHistory(emptyModel(DEFAULT_SETTINGS, stream.events[0]!.atNs));
    history.append(stream.events);
    const svg = renderTimelineSvgDocument(layoutTimeline(inputFor(history)), (name) => `#${name.length}0${name.length}0${name.length}0`, 'T & co');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).not.toContain('var(--');
    expect(svg).toContain('&lt;S3&gt; &amp; &quot;friends&quot; cut off');
    expect(svg).toContain('<title>T &amp; co</title>');
  });
});

describe('timeline canvas styles', () => {
  it('reads the SVG style strings the canvas paints with', async () => {
    const { parseShapeStyle } = await import('../../../renderer/src/components/timeline/timeline-canvas');
    expect(parseShapeStyle('stroke:#123;stroke-width:1.4;stroke-dasharray:6 3;fill:none;stroke-opacity:0.5')).toMatchObject(
      { stroke: '#123', strokeWidth: 1.4, dash: [6, 3], fill: null, strokeOpacity: 0.5, fillOpacity: 1 });
    expect(parseShapeStyle('fill:url(#tl-hatch)')).toMatchObject({ fill: 'url(#tl-hatch)', stroke: null, dash: [] });
    expect(parseShapeStyle('fill:#000;font-size:12px;font-weight:600')).toMatchObject({ fontSizePx: 12, fontWeight: '600' });
  });
});
