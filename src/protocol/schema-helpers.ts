// zod's side of validate.ts: the schemas' shared parts and how their failures read. The lab and the renderer use
// these; a node process does not load zod (docs/benchmarks.md), so nothing under src/node may import this.
import { z } from 'zod';
import { decodeJsonBytes, MAX_NODE_ID, type Decoded } from './validate';

export const nodeIdSchema = z.int().min(1).max(MAX_NODE_ID);

/** A non-negative safe integer: terms, indexes and counters. */
export const countSchema = z.int().nonnegative();

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

/** decodeJsonBytes, then the schema. `what` names the frame kind in error messages ("control frame"). */
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
