// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { paintAttributes, styleFor } from '../../../renderer/src/components/timeline/timeline-svg';

const paint = (variable: string): string => `#${variable.length.toString(16).padStart(6, '0')}`;

describe('timeline SVG presentation attributes', () => {
  it('write each property once, with its last value as in CSS', () => {
    expect(paintAttributes('stroke:red;stroke-dasharray:2 2;fill:none;stroke-dasharray:3 3'))
      .toBe(' stroke="red" stroke-dasharray="3 3" fill="none"');
  });

  it('give an in-flight reply one dash pattern, so the exported document stays valid XML', () => {
    for (const key of ['aer-flight', 'rvr-flight', 'isr-flight', 'ae-flight', 'rv-flight']) {
      const attributes = paintAttributes(styleFor(key, paint));
      expect(attributes.match(/stroke-dasharray=/g), key).toHaveLength(1);
      expect(attributes, key).toContain('stroke-dasharray="3 3"');
      const svg = `<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0L1 1"${attributes}/></svg>`;
      expect(new DOMParser().parseFromString(svg, 'image/svg+xml').querySelector('parsererror'), key).toBeNull();
    }
  });
});
