// The network-delay field's text: "8–15" (a range, lab ms) or "10" (a fixed delay). Parsed strictly: a typo is an
// error to show, never a silent zero.
import { MAX_NETWORK_DELAY_MS, type NetworkDelayMs } from '../../../../src/protocol/lab-clock';

export function formatNetworkDelay([min, max]: NetworkDelayMs): string {
  const round = (value: number): string => String(Math.round(value * 10) / 10);
  return min === max ? round(min) : `${round(min)}–${round(max)}`;
}

export type ParsedDelay = { readonly ok: true; readonly delayMs: NetworkDelayMs } | { readonly ok: false; readonly error: string };

export function parseNetworkDelay(text: string): ParsedDelay {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(?:(?:-|–|—|to|\.\.)\s*(\d+(?:\.\d+)?))?\s*(?:ms)?\s*$/.exec(text);
  if (!match) return { ok: false, error: `network delay: write lab ms as "10" or a range "8-15", not "${text.trim()}"` };
  const min = Number(match[1]);
  const max = match[2] === undefined ? min : Number(match[2]);
  if (min > max) return { ok: false, error: `network delay: the minimum ${min} is above the maximum ${max}` };
  if (max > MAX_NETWORK_DELAY_MS) return { ok: false, error: `network delay: at most ${MAX_NETWORK_DELAY_MS} ms (it must stay below the election timeout, §5.6)` };
  return { ok: true, delayMs: [min, max] };
}
