import { describe, expect, it } from 'vitest';
import {
  formatHistory,
  formatHistoryOp,
  HistoryFormatError,
  parseHistory,
  type HistoryOp,
} from '../../../src/check/history';

const EXAMPLE = [
  '{"client":0,"op":"put","key":"x","value":"1","call":100,"ret":250,"status":"ok"}',
  '{"client":1,"op":"get","key":"x","call":120,"ret":260,"status":"ok","value":"1"}',
  '{"client":2,"op":"cas","key":"x","from":"1","to":"2","call":130,"ret":null,"status":"unknown"}',
  '{"client":3,"op":"delete","key":"x","call":140,"ret":300,"status":"ok"}',
];

function formatError(text: string): HistoryFormatError {
  try {
    parseHistory(text);
  } catch (error) {
    if (error instanceof HistoryFormatError) return error;
    throw error;
  }
  throw new Error(`parsed without error: ${text}`);
}

/** Puts `line` at line 3, after a valid line and a blank one, and returns the error's detail. */
function detailAtLine3(line: string): string {
  const error = formatError(`${EXAMPLE[0]}\n\n${line}\n${EXAMPLE[1]}`);
  expect(error.line).toBe(3);
  expect(error.message).toBe(`line 3: ${error.detail}`);
  return error.detail;
}

describe('history format', () => {
  it('parses the documented example lines', () => {
    const ops = parseHistory(EXAMPLE.join('\n'));
    expect(ops).toEqual([
      { client: 0, op: 'put', key: 'x', value: '1', call: 100, ret: 250, status: 'ok' },
      { client: 1, op: 'get', key: 'x', call: 120, ret: 260, status: 'ok', value: '1' },
      { client: 2, op: 'cas', key: 'x', from: '1', to: '2', call: 130, ret: null, status: 'unknown' },
      { client: 3, op: 'delete', key: 'x', call: 140, ret: 300, status: 'ok' },
    ]);
  });

  it('formats each op back to exactly the documented line', () => {
    const ops = parseHistory(EXAMPLE.join('\n'));
    expect(ops.map(formatHistoryOp)).toEqual(EXAMPLE);
    expect(formatHistory(ops)).toBe(`${EXAMPLE.join('\n')}\n`);
  });

  it('round-trips a get of an absent key, failed and unknown gets, and times up to 2^53', () => {
    const ops: HistoryOp[] = [
      { client: 0, op: 'get', key: 'x', call: 0, ret: 0, status: 'ok', value: null },
      { client: 1, op: 'get', key: 'x', call: 5, ret: 9, status: 'fail' },
      { client: 2, op: 'get', key: 'x', call: 5, ret: null, status: 'unknown' },
      { client: 3, op: 'put', key: 'x', value: '', call: 2 ** 53 - 1, ret: 2 ** 53, status: 'fail' },
    ];
    expect(parseHistory(formatHistory(ops))).toEqual(ops);
  });

  it('allows blank lines, CRLF line ends and an empty file', () => {
    expect(parseHistory('')).toEqual([]);
    expect(parseHistory('\n  \n')).toEqual([]);
    expect(parseHistory(`\r\n${EXAMPLE[0]}\r\n\r\n${EXAMPLE[3]}\r\n`)).toHaveLength(2);
  });

  it('reports malformed lines with their 1-based line number and what is wrong', () => {
    expect(detailAtLine3('{"client":0,')).toMatch(/not valid JSON/);
    expect(detailAtLine3('[1,2]')).toMatch(/expected a JSON object, got an array/);
    expect(detailAtLine3('{"client":0,"op":"inc","key":"x","call":1,"ret":2,"status":"ok"}')).toMatch(/"op" must be/);
    expect(detailAtLine3('{"client":0,"op":"put","key":"x","call":1,"ret":2,"status":"ok"}')).toMatch(
      /missing field "value" in a put/,
    );
    expect(detailAtLine3('{"client":0,"op":"delete","key":"x","call":1,"ret":2,"status":"ok","x":1}')).toMatch(
      /unexpected field "x"/,
    );
    expect(detailAtLine3('{"client":-1,"op":"delete","key":"x","call":1,"ret":2,"status":"ok"}')).toMatch(/"client"/);
    expect(detailAtLine3('{"client":"0","op":"delete","key":"x","call":1,"ret":2,"status":"ok"}')).toMatch(/"client"/);
    expect(detailAtLine3('{"client":0,"op":"delete","key":3,"call":1,"ret":2,"status":"ok"}')).toMatch(/"key" must be/);
    expect(detailAtLine3('{"client":0,"op":"delete","key":"x","call":1.5,"ret":2,"status":"ok"}')).toMatch(/"call"/);
    expect(detailAtLine3('{"client":0,"op":"delete","key":"x","call":-1,"ret":2,"status":"ok"}')).toMatch(/"call"/);
    expect(detailAtLine3(`{"client":0,"op":"delete","key":"x","call":1,"ret":${2 ** 54},"status":"ok"}`)).toMatch(
      /"ret"/,
    );
    expect(detailAtLine3('{"client":0,"op":"delete","key":"x","call":5,"ret":4,"status":"ok"}')).toMatch(
      /"ret" \(4\) is before "call" \(5\)/,
    );
    expect(detailAtLine3('{"client":0,"op":"delete","key":"x","call":5,"ret":null,"status":"ok"}')).toMatch(
      /status "ok" must have a "ret" time/,
    );
    expect(detailAtLine3('{"client":0,"op":"delete","key":"x","call":5,"ret":6,"status":"unknown"}')).toMatch(
      /"unknown" must have "ret": null/,
    );
    expect(detailAtLine3('{"client":0,"op":"delete","key":"x","call":5,"ret":6,"status":"done"}')).toMatch(
      /"status" must be/,
    );
    expect(detailAtLine3('{"client":0,"op":"get","key":"x","call":5,"ret":6,"status":"ok"}')).toMatch(
      /missing field "value" in a get/,
    );
    expect(detailAtLine3('{"client":0,"op":"get","key":"x","call":5,"ret":6,"status":"fail","value":null}')).toMatch(
      /a get with status "fail" has no "value"/,
    );
    expect(detailAtLine3('{"client":0,"op":"get","key":"x","call":5,"ret":6,"status":"ok","value":1}')).toMatch(
      /"value" must be a string.*or null/,
    );
    expect(detailAtLine3('{"client":0,"op":"cas","key":"x","from":"1","call":5,"ret":6,"status":"ok"}')).toMatch(
      /missing field "to"/,
    );
    const longKey = 'k'.repeat(257);
    expect(detailAtLine3(`{"client":0,"op":"delete","key":"${longKey}","call":5,"ret":6,"status":"ok"}`)).toMatch(
      /"key" is 257 bytes/,
    );
  });

  it('stops at the first malformed line and counts lines from 1', () => {
    expect(formatError('oops').line).toBe(1);
    expect(formatError(`${EXAMPLE[0]}\n${EXAMPLE[1]}\n${EXAMPLE[2]}\n\n\nbad\nworse`).line).toBe(6);
  });

  it('bounds the number of operations', () => {
    const text = `${EXAMPLE[0]}\n\n${EXAMPLE[1]}\n${EXAMPLE[3]}`;
    expect(parseHistory(text, { maxOps: 3 })).toHaveLength(3);
    expect(() => parseHistory(text, { maxOps: 2 })).toThrow(/line 4: more than 2 operations/);
  });
});
