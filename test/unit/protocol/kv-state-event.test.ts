// The kv-state event: a node's whole KV after a snapshot restore, bounded so one event fits a control frame; past the
// bounds the node sends null and says so. The lab accepts it only about the node that sent it.
import { describe, expect, it } from 'vitest';
import { KV_STATE_MAX_BYTES, KV_STATE_MAX_KEYS, labEventSchema } from '../../../src/protocol/events';
import { kvStateEvent } from '../../../src/node/reporting/kv-state-report';
import { validateNodeEvent } from '../../../src/lab/node-event-intake';

const event = (fields: Record<string, unknown>) => ({ seq: 3, atNs: 10, type: 'kv-state', node: 2, index: 40, ...fields });
const manyKeys = (count: number): Record<string, string> =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${String(i).padStart(5, '0')}`, 'v']));

describe('kv-state event schema', () => {
  it('accepts sorted pairs, an empty store, and null when too large', () => {
    for (const valid of [
      event({ entries: [['__proto__', 'x'], ['a', '1'], ['b', '']], tooLarge: false }),
      event({ entries: [], tooLarge: false, index: 0 }),
      event({ entries: null, tooLarge: true }),
    ]) {
      const parsed = labEventSchema.safeParse(valid);
      expect(parsed.success, JSON.stringify(valid)).toBe(true);
      expect(parsed.data).toEqual(valid);
    }
  });

  it('refuses unsorted or repeated keys, a null without the flag (and the reverse), and bad fields', () => {
    for (const invalid of [
      event({ entries: [['b', '1'], ['a', '2']], tooLarge: false }),
      event({ entries: [['a', '1'], ['a', '2']], tooLarge: false }),
      event({ entries: null, tooLarge: false }),
      event({ entries: [['a', '1']], tooLarge: true }),
      event({ entries: [['a', 1]], tooLarge: false }),
      event({ entries: [['a']], tooLarge: false }),
      event({ entries: [], tooLarge: false, index: -1 }),
      event({ entries: [], tooLarge: false, node: 26 }),
      event({ entries: [] }),
    ]) {
      expect(labEventSchema.safeParse(invalid).success, JSON.stringify(invalid)).toBe(false);
    }
  });

  it('refuses more than the key bound or the byte bound (UTF-8, keys plus values)', () => {
    const tooManyKeys = Object.entries(manyKeys(KV_STATE_MAX_KEYS + 1));
    expect(labEventSchema.safeParse(event({ entries: tooManyKeys.slice(0, KV_STATE_MAX_KEYS), tooLarge: false })).success).toBe(true);
    expect(labEventSchema.safeParse(event({ entries: tooManyKeys, tooLarge: false })).success).toBe(false);
    const half = 'é'.repeat(KV_STATE_MAX_BYTES / 4); // 2 bytes each: one value is half the bound
    expect(labEventSchema.safeParse(event({ entries: [['a', half], ['b', half.slice(1)]], tooLarge: false })).success).toBe(true);
    expect(labEventSchema.safeParse(event({ entries: [['a', half], ['b', half]], tooLarge: false })).success).toBe(false);
  });
});

describe('kvStateEvent (what a node sends)', () => {
  it('sends the pairs in key order when they fit', () => {
    const sent = kvStateEvent(2, 10, 40, { a: '1', b: '2' });
    expect(sent).toEqual({ type: 'kv-state', atNs: 10, node: 2, index: 40, entries: [['a', '1'], ['b', '2']], tooLarge: false });
    expect(labEventSchema.safeParse({ ...sent, seq: 0 }).success).toBe(true);
  });

  it('sends null and the flag past either bound, which the schema then accepts', () => {
    const big = 'x'.repeat(KV_STATE_MAX_BYTES);
    for (const data of [manyKeys(KV_STATE_MAX_KEYS + 1), { a: big }]) {
      const sent = kvStateEvent(2, 10, 40, data);
      expect(sent).toMatchObject({ entries: null, tooLarge: true });
      expect(labEventSchema.safeParse({ ...sent, seq: 0 }).success).toBe(true);
    }
  });
});

describe('the lab takes a kv-state event only about its sender', () => {
  it('accepts it from its node, refuses it from another or when malformed', () => {
    const raw = kvStateEvent(2, 10, 40, { a: '1' }) as unknown as Record<string, unknown>;
    expect(validateNodeEvent(raw, 2)).toEqual({ ok: true, event: raw });
    expect(validateNodeEvent(raw, 3)).toMatchObject({ ok: false, error: expect.stringMatching(/another node/) });
    expect(validateNodeEvent({ ...raw, entries: null }, 2)).toMatchObject({ ok: false });
  });
});
