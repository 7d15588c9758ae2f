import { describe, expect, it } from 'vitest';
import { formatHistory, HistoryRecorder, parseHistory } from '../../../src/check/history';

describe('HistoryRecorder', () => {
  it('records invoked and completed operations; never-completed ones are unknown', () => {
    const recorder = new HistoryRecorder();
    const put = recorder.invoke(0, { op: 'put', key: 'x', value: '1' }, 100);
    const get = recorder.invoke(1, { op: 'get', key: 'x' }, 120);
    const cas = recorder.invoke(2, { op: 'cas', key: 'x', from: '1', to: '2' }, 130);
    const del = recorder.invoke(3, { op: 'delete', key: 'x' }, 140);
    const failedGet = recorder.invoke(4, { op: 'get', key: 'y' }, 150);
    recorder.complete(put, { status: 'ok' }, 250);
    recorder.complete(get, { status: 'ok', value: '1' }, 260);
    recorder.complete(del, { status: 'ok' }, 300);
    recorder.complete(failedGet, { status: 'fail' }, 310);
    expect(cas).toBe(2);
    expect(recorder.pendingCount).toBe(1);
    const ops = recorder.ops();
    expect(ops).toEqual([
      { client: 0, op: 'put', key: 'x', value: '1', call: 100, ret: 250, status: 'ok' },
      { client: 1, op: 'get', key: 'x', call: 120, ret: 260, status: 'ok', value: '1' },
      { client: 2, op: 'cas', key: 'x', from: '1', to: '2', call: 130, ret: null, status: 'unknown' },
      { client: 3, op: 'delete', key: 'x', call: 140, ret: 300, status: 'ok' },
      { client: 4, op: 'get', key: 'y', call: 150, ret: 310, status: 'fail' },
    ]);
    expect(parseHistory(formatHistory(ops))).toEqual(ops);
  });

  it('records a get of an absent key as value null', () => {
    const recorder = new HistoryRecorder();
    recorder.complete(recorder.invoke(0, { op: 'get', key: 'x' }, 1), { status: 'ok', value: null }, 2);
    expect(recorder.ops()[0]).toMatchObject({ status: 'ok', value: null });
  });

  it('is bounded: invoke throws once full', () => {
    const recorder = new HistoryRecorder({ maxOps: 2 });
    recorder.invoke(0, { op: 'get', key: 'x' }, 1);
    recorder.invoke(0, { op: 'get', key: 'x' }, 2);
    expect(recorder.isFull).toBe(true);
    expect(() => recorder.invoke(0, { op: 'get', key: 'x' }, 3)).toThrow(/full \(2 operations\)/);
    expect(recorder.size).toBe(2);
  });

  it('asserts what would make a malformed history', () => {
    const recorder = new HistoryRecorder();
    const get = recorder.invoke(0, { op: 'get', key: 'x' }, 10);
    const put = recorder.invoke(0, { op: 'put', key: 'x', value: '1' }, 10);
    expect(() => recorder.complete(get, { status: 'ok' }, 20)).toThrow(/ok get must carry its value/);
    expect(() => recorder.complete(put, { status: 'ok', value: '1' }, 20)).toThrow(/only an ok get carries a value/);
    expect(() => recorder.complete(put, { status: 'ok' }, 9)).toThrow(/before callNs/);
    expect(() => recorder.complete(99, { status: 'ok' }, 20)).toThrow(/unknown history handle/);
    recorder.complete(put, { status: 'ok' }, 20);
    expect(() => recorder.complete(put, { status: 'ok' }, 21)).toThrow(/completed twice/);
    expect(() => recorder.invoke(0, { op: 'get', key: '' }, 1)).toThrow(/"key" must not be empty/);
    expect(() => recorder.invoke(0, { op: 'get', key: 'x' }, 1.5)).toThrow(/callNs/);
    expect(() => recorder.invoke(-1, { op: 'get', key: 'x' }, 1)).toThrow(/client/);
  });
});
