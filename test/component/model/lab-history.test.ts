import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../src/protocol/lab-api';
import { LabHistory } from '../../../renderer/src/model/lab-history';
import { emptyModel } from '../../../renderer/src/model/model-state';
import { applyEvents } from '../../../renderer/src/model/reducer';
import { randomStream, seededRandom } from './event-builders';

const empty = () => emptyModel(DEFAULT_SETTINGS, 0);

describe('LabHistory', () => {
  it('stateAt(seq) equals a fresh replay of the events up to seq, for random seqs', () => {
    const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};
    const seed = Number(env['RAFT_LAB_TEST_SEED'] ?? Date.now() % 1_000_000);
    console.log(`LabHistory stateAt random test seed=${seed} (RAFT_LAB_TEST_SEED=${seed} to reproduce)`);
    const stream = randomStream(seed, 3000);
    const history = new LabHistory(empty(), { checkpointEvery: 100 });
    // In uneven batches, as the lab delivers them.
    const random = seededRandom(seed + 1);
    for (let i = 0; i < stream.events.length;) {
      const size = 1 + Math.floor(random() * 200);
      history.append(stream.events.slice(i, i + size));
      i += size;
    }
    expect(history.live).toEqual(applyEvents(empty(), stream.events).view);
    for (let round = 0; round < 40; round += 1) {
      const seq = Math.floor(random() * stream.events.length);
      const expected = applyEvents(empty(), stream.events.filter((event) => event.seq <= seq)).view;
      expect(history.stateAt(seq), `seed ${seed}, seq ${seq}`).toEqual(expected);
    }
  });

  it('ignores events it already has (a batch delivered twice, or overlapping the recent events)', () => {
    const stream = randomStream(7, 300);
    const history = new LabHistory(empty());
    history.append(stream.events.slice(0, 200));
    expect(history.append(stream.events.slice(100, 300))).toBe(100);
    expect(history.events).toHaveLength(300);
    expect(history.events.map((e) => e.seq)).toEqual(stream.events.map((e) => e.seq));
  });

  it('keeps at most maxEvents, moving the base forward so that old moments stay exact', () => {
    const seed = 11;
    const stream = randomStream(seed, 5000);
    const history = new LabHistory(empty(), { maxEvents: 1000, checkpointEvery: 100 });
    for (let i = 0; i < stream.events.length; i += 37) {
      history.append(stream.events.slice(i, i + 37));
      expect(history.events.length).toBeLessThanOrEqual(1000);
    }
    expect(history.events.length).toBeGreaterThan(1000 - 100);
    expect(history.lastSeq).toBe(4999);
    expect(history.base.view.seq).toBe(history.events[0]!.seq - 1);
    // The base is the exact state before the window, and anything older clamps to it.
    const expectedBase = applyEvents(empty(), stream.events.filter((e) => e.seq <= history.baseSeq)).view;
    expect(history.stateAt(history.baseSeq)).toEqual(expectedBase);
    expect(history.stateAt(0)).toEqual(expectedBase);
    const mid = history.firstSeq + 321;
    expect(history.stateAt(mid)).toEqual(applyEvents(empty(), stream.events.filter((e) => e.seq <= mid)).view);
  });

  it('finds the event at a time, and times of seqs, on a monotone axis', () => {
    const stream = randomStream(3, 500);
    const history = new LabHistory(empty());
    history.append(stream.events);
    const event = stream.events[250]!;
    expect(history.seqAtTime(history.timeOfSeq(event.seq))).toBeGreaterThanOrEqual(event.seq);
    expect(history.seqAtTime(-1)).toBe(history.baseSeq);
    expect(history.seqAtTime(Number.MAX_SAFE_INTEGER)).toBe(history.lastSeq);
    expect(history.endNs).toBeGreaterThanOrEqual(history.startNs);
  });
});
