// Shared helpers for runtime validation at process boundaries: every byte that arrives from another process is
// untrusted until a check or a schema has accepted it, and decoding never throws (a bad frame must not kill a
// receive loop). Without zod: node processes import this (zod's side is schema-helpers.ts).
import { attempt, type Check } from './check';

/** Node ids are 1-based and a lab cluster has at most this many nodes. */
export const MAX_NODE_ID = 25;

/** A message id (peer frames, message events, held-message actions), e.g. "3.k2x9-1042". */
export const MAX_MESSAGE_ID_CHARS = 64;

export type Decoded<T> = { ok: true; value: T } | { ok: false; error: string };

// `fatal` makes malformed UTF-8 an error instead of silently becoming U+FFFD.
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/** Size check, strict UTF-8 and JSON.parse; the result is still `unknown` until a check accepts it. */
export function decodeJsonBytes(bytes: Uint8Array, maxBytes: number): Decoded<unknown> {
  if (bytes.byteLength > maxBytes) {
    return { ok: false, error: `frame of ${bytes.byteLength} bytes exceeds the limit of ${maxBytes} bytes` };
  }
  let text: string;
  try {
    text = utf8Decoder.decode(bytes);
  } catch {
    return { ok: false, error: 'frame is not valid UTF-8' };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, error: `frame is not valid JSON: ${detail}` };
  }
}

/** decodeJsonBytes, then the hand-written check. `what` names the frame kind in error messages ("peer frame"). */
export function decodeWithCheck<T>(bytes: Uint8Array, check: Check<T>, maxBytes: number, what: string): Decoded<T> {
  const json = decodeJsonBytes(bytes, maxBytes);
  if (!json.ok) return { ok: false, error: `${what}: ${json.error}` };
  return checkDecoded(json.value, check, what);
}

/** The check on an already parsed value, with decodeWithCheck's error message. */
export function checkDecoded<T>(value: unknown, check: Check<T>, what: string): Decoded<T> {
  const checked = attempt(check, value);
  return checked.ok ? checked : { ok: false, error: `${what} does not match its schema: ${checked.error}` };
}
