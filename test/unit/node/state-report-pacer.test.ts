// Quiet-mode state reports: a change of role, term, vote or leader goes out at once; index-only changes at most once
// per interval, and the last one always follows.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StateReportPacer, type PacedState } from '../../../src/node/reporting/state-report-pacer';

const follower: PacedState = { role: 'follower', term: 3, votedFor: 2, leaderId: 2 };

describe('StateReportPacer', () => {
  let nowMs = 0;
  let reports = 0;
  let pacer: StateReportPacer;
  beforeEach(() => {
    vi.useFakeTimers();
    nowMs = 0;
    reports = 0;
    pacer = new StateReportPacer(100, () => nowMs, () => void (reports += 1));
  });
  afterEach(() => {
    pacer.stop();
    vi.useRealTimers();
  });
  const advance = (ms: number): void => {
    nowMs += ms;
    vi.advanceTimersByTime(ms);
  };

  it('reports the first state and every change of role, term, vote or leader at once', () => {
    pacer.changed(follower);
    expect(reports).toBe(1);
    advance(1);
    pacer.changed({ ...follower, role: 'candidate', term: 4, votedFor: 1, leaderId: null });
    expect(reports).toBe(2);
    advance(1);
    pacer.changed({ role: 'leader', term: 4, votedFor: 1, leaderId: 1 });
    expect(reports).toBe(3);
  });

  it('reports index-only changes once per interval, the last one after the interval', () => {
    pacer.changed(follower);
    for (let i = 0; i < 50; i++) {
      advance(1);
      pacer.changed(follower);
    }
    expect(reports).toBe(1);
    advance(49); // 99 ms after the first report
    expect(reports).toBe(1);
    advance(1);
    expect(reports).toBe(2); // the trailing report
    advance(1000);
    expect(reports).toBe(2); // nothing changed since
    pacer.changed(follower); // the interval has passed: at once
    expect(reports).toBe(3);
  });

  it('a change of leader while a trailing report waits goes out at once and replaces it', () => {
    pacer.changed(follower);
    advance(10);
    pacer.changed(follower);
    advance(10);
    pacer.changed({ ...follower, leaderId: 3 });
    expect(reports).toBe(2);
    advance(500);
    expect(reports).toBe(2);
  });

  it('stop sends a waiting report at once, and nothing follows', () => {
    pacer.changed(follower);
    advance(10);
    pacer.changed(follower);
    pacer.stop();
    expect(reports).toBe(2);
    advance(500);
    pacer.changed({ ...follower, term: 9 });
    expect(reports).toBe(2);
  });

  it('stop with nothing waiting reports nothing', () => {
    pacer.changed(follower);
    pacer.stop();
    advance(500);
    expect(reports).toBe(1);
  });
});
