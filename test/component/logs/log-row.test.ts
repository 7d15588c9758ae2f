// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import LogRow from '../../../renderer/src/components/logs/LogRow.vue';
import { columnRange, describeCommand, fittedColumnRange, fittingColumns, followerMarks, logCells, MAX_LOG_COLUMNS } from '../../../renderer/src/components/logs/log-columns';
import { labView, nodeState } from '../shell/lab-fixtures';

const entries = (terms: number[]) => terms.map((term, i) => ({ index: i + 1, term, command: JSON.stringify({ clientId: 'c', seq: i, op: 'put', key: 'x', value: String(i) }) }));

describe('LogRow', () => {
  const follower = nodeState(2, { log: entries([1, 1, 2, 2]), lastLogIndex: 4, commitIndex: 2, lastApplied: 1 });

  it('marks entries up to commitIndex committed and the rest uncommitted, each with its term written in it', () => {
    const wrapper = mount(LogRow, { props: { node: follower, range: { first: 1, last: 4 }, marks: null, leaderId: null } });
    const box = (index: number) => wrapper.get(`[data-testid="log-entry-2-${index}"]`);
    expect([1, 2, 3, 4].map((index) => box(index).attributes('data-committed'))).toEqual(['true', 'true', 'false', 'false']);
    expect(box(2).classes()).toContain('committed');
    expect(box(3).classes()).toContain('uncommitted');
    expect(box(3).text()).toBe('2');
    expect(box(3).attributes('style')).toContain('--term-2');
    expect(box(3).attributes('title')).toContain('put x = 2');
  });

  it('marks commit and applied, and the leader\'s nextIndex and matchIndex for this follower', () => {
    const wrapper = mount(LogRow, { props: { node: follower, range: { first: 1, last: 5 }, marks: { nextIndex: 5, matchIndex: 4 }, leaderId: 1 } });
    const text = wrapper.text();
    expect(wrapper.get('[data-testid="log-commit-2"]').attributes('style')).toContain('grid-column: 2');
    expect(wrapper.get('[data-testid="log-applied-2"]').attributes('style')).toContain('grid-column: 1');
    expect(wrapper.get('[data-testid="log-match-2"]').attributes('style')).toContain('grid-column: 4');
    expect(wrapper.get('[data-testid="log-next-2"]').attributes('title')).toBe("S1's nextIndex for S2 = 5");
    expect(text).toContain('commit');
  });

  it('uses its own test ids, never the cluster view\'s node-<i>', () => {
    const wrapper = mount(LogRow, { props: { node: follower, range: { first: 1, last: 4 }, marks: null, leaderId: null } });
    expect(wrapper.find('[data-testid="node-2"]').exists()).toBe(false);
    expect(wrapper.get('[data-testid="log-row-2"]').attributes('data-commit-index')).toBe('2');
  });
});

describe('log columns', () => {
  it('aligns every row on the same indices, making room for a leader\'s nextIndex one past its log', () => {
    const leader = nodeState(1, { role: 'leader', log: entries([1, 1, 2]), lastLogIndex: 3, progress: { 2: { nextIndex: 4, matchIndex: 3 } } });
    const view = labView([leader, nodeState(2, { log: entries([1]), lastLogIndex: 1 })]);
    expect(columnRange(view)).toEqual({ first: 1, last: 4 });
    expect(followerMarks(view, 2)).toEqual({ nextIndex: 4, matchIndex: 3 });
    expect(followerMarks(view, 1)).toBeNull();
  });

  it('shows only the newest columns of a long log', () => {
    const long = nodeState(1, { log: entries(Array.from({ length: 100 }, () => 1)), lastLogIndex: 100 });
    const range = columnRange(labView([long]), 40);
    expect(range).toEqual({ first: 61, last: 100 });
    const cells = logCells(long, range);
    expect(cells).toHaveLength(40);
    expect(cells[0]?.entry?.index).toBe(61);
  });

  it('fits as many boxes as a row has room for beside the markers\' labels, and the "…N" count when some are left out', () => {
    // A wide panel at the usual type: the cap; presentation type (20 px) in a 240 px track: 3 boxes of 40 px with the
    // count, 4 without.
    expect(fittingColumns(3000, 15, true)).toBe(MAX_LOG_COLUMNS);
    expect(fittingColumns(240, 20, true)).toBe(3);
    expect(fittingColumns(240, 20, false)).toBe(4);
    expect(2.7 * 20 + 3 * (1.9 * 20 + 2) + 2.5 * 20).toBeLessThanOrEqual(240);
    // Larger type, fewer boxes in the same row; never fewer than three (a row narrower than that scrolls).
    expect(fittingColumns(600, 20, true)).toBeLessThan(fittingColumns(600, 15, true));
    expect(fittingColumns(100, 20, false)).toBe(3);
  });

  it('shows a whole short log without the count, and the newest part of a longer one beside it', () => {
    const view = (last: number) => labView([nodeState(1, { log: entries(new Array<number>(last).fill(1)), lastLogIndex: last })]);
    // 240 px at 20 px to the rem: 4 boxes without the count, 3 with it.
    expect(fittedColumnRange(view(4), 240, 20)).toEqual({ first: 1, last: 4 });
    const long = fittedColumnRange(view(9), 240, 20);
    expect(long.last).toBe(9);
    expect(long.last - long.first + 1).toBeLessThanOrEqual(3);
  });

  it('describes commands as students read them', () => {
    expect(describeCommand(null)).toMatch(/^no-op/);
    expect(describeCommand('{"op":"cas","key":"k","from":"a","to":"b"}')).toBe('cas k: a → b');
    expect(describeCommand('not json')).toBe('not json');
  });
});
