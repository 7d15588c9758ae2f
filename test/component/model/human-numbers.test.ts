import { describe, expect, it } from 'vitest';
import { humanizeNumbers, humanizeValue, roundForReading, secondsSince } from '../../../renderer/src/model/human-numbers';

describe('human numbers', () => {
  it('rounds milliseconds to whole ms, keeping one decimal below 10 ms', () => {
    expect(humanizeNumbers('election timeout elapsed at 2452.6078866999947 ms without hearing from a leader'))
      .toBe('election timeout elapsed at 2453 ms without hearing from a leader');
    expect(humanizeNumbers('answered in 2.4567 ms')).toBe('answered in 2.5 ms');
    expect(humanizeNumbers('timer restarts (183.30486ms)')).toBe('timer restarts (183ms)');
  });

  it('rounds other decimals to one place, small ones to two significant digits', () => {
    expect(humanizeNumbers('ratio 12.3456 and 0.04567 and 345.678')).toBe('ratio 12.3 and 0.046 and 346');
  });

  it('leaves integers, short decimals, addresses and words alone', () => {
    const text = 'S1 at tcp://127.0.0.1:5001 granted vote in term 3 (1.5x, version 10.0.0.12)';
    expect(humanizeNumbers(text)).toBe(text);
  });

  it('rounds fields by their name and formats times since the origin', () => {
    expect(humanizeValue('latencyMs', 201.73456)).toBe('202');
    expect(humanizeValue('matchIndex', 7)).toBe('7');
    expect(humanizeValue('why', 'at 99.999 ms')).toBe('at 100 ms');
    expect(humanizeValue('done', true)).toBe('true');
    expect(roundForReading(-0.0001234)).toBe('-0.00012');
    expect(secondsSince(3_456_789_000, 1_000_000_000)).toBe('2.457 s');
  });
});
