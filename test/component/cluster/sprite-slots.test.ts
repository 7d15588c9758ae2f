import { describe, expect, it } from 'vitest';
import { SpriteSlots, type Slotted } from '../../../renderer/src/components/cluster/sprite-slots';

/** `slot:item`, with idle slots (kept for the next message) as `slot:(item)`. */
const drawn = (slotted: readonly Slotted<string>[]): string[] =>
  slotted.map((entry) => `${entry.slot}:${entry.idle ? `(${entry.item})` : entry.item}`);
const slots = (): SpriteSlots<string> => new SpriteSlots<string>((item) => item);

describe('SpriteSlots', () => {
  it('numbers the first messages from 0', () => {
    expect(drawn(slots().assign(['c', 'b', 'a']))).toEqual(['0:c', '1:b', '2:a']);
  });

  it('keeps a message in its slot while it is drawn, and gives a gone message\'s slot to a new one, in the items\' order', () => {
    const diagram = slots();
    diagram.assign(['a', 'b', 'c']);
    // b arrived; d is new and takes b's slot; a and c keep theirs although the order changed.
    expect(drawn(diagram.assign(['d', 'c', 'a']))).toEqual(['1:d', '2:c', '0:a']);
    expect(drawn(diagram.assign(['e', 'f', 'd', 'c']))).toEqual(['0:e', '3:f', '1:d', '2:c']);
  });

  it('keeps the slots of messages that arrived idle, after the live ones, for the next new ones', () => {
    const diagram = slots();
    diagram.assign(['a', 'b', 'c']);
    expect(drawn(diagram.assign(['b']))).toEqual(['1:b', '0:(a)', '2:(c)']);
    expect(drawn(diagram.assign([]))).toEqual(['0:(a)', '1:(b)', '2:(c)']);
    expect(drawn(diagram.assign(['y', 'x']))).toEqual(['0:y', '1:x', '2:(c)']);
  });

  it('lets idle slots go once fewer messages have been drawn for a while, so elements do not pile up', () => {
    const diagram = slots();
    diagram.assign(['a', 'b', 'c', 'd', 'e']);
    let last: Slotted<string>[] = [];
    for (let frame = 0; frame < 200; frame += 1) last = diagram.assign(['z']);
    expect(drawn(last)).toEqual(['0:z']);
  });

  it('never uses more slots than the most messages drawn at once', () => {
    const diagram = slots();
    for (let frame = 0; frame < 500; frame += 1) {
      // Up to 7 messages at once, each drawn for 3 frames, new ones every frame.
      const items = [0, 1, 2].flatMap((age) => (frame - age >= 0 ? [`m${frame - age}a`, `m${frame - age}b`] : []))
        .concat(frame % 5 === 0 ? ['extra'] : []);
      const out = diagram.assign(items);
      expect(out.length).toBeLessThanOrEqual(7);
      expect(new Set(out.filter((entry) => !entry.idle).map((entry) => entry.item))).toEqual(new Set(items));
    }
  });

  it('draws a message listed twice once', () => {
    expect(drawn(slots().assign(['a', 'a', 'b']))).toEqual(['0:a', '1:b']);
  });
});
