// Shared helpers for runtime validation at process boundaries: every byte that arrives from another process is
// untrusted until a schema has accepted it, and decoding never throws (a bad frame must not kill a receive loop).
import { z } from 'zod';

/** Node ids are 1-based and a lab cluster has at most this many nodes. */
export const MAX_NODE_ID = 25;

export const nodeIdSchema = z.int().min(1).max(MAX_NODE_ID);

/** A message id (peer frames, message events, held-message actions), e.g. "3.k2x9-1042". */
export const MAX_MESSAGE_ID_CHARS = 64;

/** A non-negative safe integer: terms, indexes and counters. */
export const countSchema = z.int().nonnegative();

export type Decoded<T> = { ok: true; value: T } | { ok: false; error: string };

const MAX_ISSUES_REPORTED = 3;

/** One line naming the first few failing paths, e.g. `msg.term: Too small: expected number to be >=0`. */
export function summarizeIssues(error: z.ZodError): string {
  const shown = error.issues.slice(0, MAX_ISSUES_REPORTED).map((issue) => {
    const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
    return `${path}: ${issue.message}`;
  });
  const hidden = error.issues.length - shown.length;
  return hidden > 0 ? `${shown.join('; ')}; and ${hidden} more` : shown.join('; ');
}

// `fatal` makes malformed UTF-8 an error instead of silently becoming U+FFFD.
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/** Size check, strict UTF-8 and JSON.parse; the result is still `unknown` until a schema accepts it. */
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

/** decodeJsonBytes, then the schema. `what` names the frame kind in error messages ("peer frame"). */
export function decodeWithSchema<T>(
  bytes: Uint8Array,
  schema: z.ZodType<T>,
  maxBytes: number,
  what: string,
): Decoded<T> {
  const json = decodeJsonBytes(bytes, maxBytes);
  if (!json.ok) return { ok: false, error: `${what}: ${json.error}` };
  const parsed = schema.safeParse(json.value);
  if (!parsed.success) return { ok: false, error: `${what} does not match its schema: ${summarizeIssues(parsed.error)}` };
  return { ok: true, value: parsed.data };
}
