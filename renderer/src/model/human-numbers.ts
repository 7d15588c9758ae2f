// Numbers as people read them. Nodes report with full float precision (a timer fires "at 2452.6078866999947 ms");
// the events keep that precision and the UI rounds only where it shows them: whole milliseconds, one decimal where
// a small value needs it, two significant digits below one.

/** A decimal with two or more fraction digits, not part of a dotted sequence (an address like 10.0.0.12). */
const LONG_DECIMAL = /(?<![\d.])(\d+\.\d{2,})(?![\d.])(\s?ms\b)?/g;

/** `value` rounded for reading; `isMs`: a duration in milliseconds (whole ms from 10 ms up). */
export function roundForReading(value: number, isMs = false): string {
  const magnitude = Math.abs(value);
  if (Number.isInteger(value)) return String(value);
  if (magnitude < 1) return String(Number(value.toPrecision(2)));
  if (magnitude >= (isMs ? 10 : 100)) return String(Math.round(value));
  return String(Math.round(value * 10) / 10);
}

/** The text with every long decimal rounded (see roundForReading); everything else unchanged. */
export function humanizeNumbers(text: string): string {
  if (!text.includes('.')) return text;
  return text.replace(LONG_DECIMAL, (_match, number: string, ms: string | undefined) =>
    `${roundForReading(Number(number), ms !== undefined)}${ms ?? ''}`);
}

/** A field of an event as shown: numbers rounded (names ending in Ms are durations), strings humanized. */
export function humanizeValue(name: string, value: string | number | boolean | null): string {
  if (typeof value === 'number') return roundForReading(value, /ms$/i.test(name));
  if (typeof value === 'string') return humanizeNumbers(value);
  return String(value);
}

/** A moment relative to the lab's origin, in seconds with millisecond precision ("12.345 s"). */
export function secondsSince(atNs: number, originNs: number): string {
  return `${((atNs - originNs) / 1e9).toFixed(3)} s`;
}
