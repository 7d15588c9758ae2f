// Field checks shared by the command codec and the history parser. Each returns a problem description, or null
// when the field is valid, so callers can put the problem into their own error type.
import { KV_MAX_CLIENT_ID_BYTES, KV_MAX_KEY_BYTES, KV_MAX_VALUE_BYTES } from './limits';
import { utf8ByteLength } from './utf8';

export function keyProblem(key: unknown): string | null {
  if (typeof key !== 'string') return `"key" must be a string, got ${describe(key)}`;
  if (key.length === 0) return '"key" must not be empty';
  const bytes = utf8ByteLength(key);
  if (bytes > KV_MAX_KEY_BYTES) return `"key" is ${bytes} bytes, more than the ${KV_MAX_KEY_BYTES}-byte limit`;
  return null;
}

/** A stored value: any string (the empty string included) up to the value size limit. */
export function valueProblem(value: unknown, field: string): string | null {
  if (typeof value !== 'string') return `"${field}" must be a string, got ${describe(value)}`;
  const bytes = utf8ByteLength(value);
  if (bytes > KV_MAX_VALUE_BYTES) return `"${field}" is ${bytes} bytes, more than the ${KV_MAX_VALUE_BYTES}-byte limit`;
  return null;
}

export function clientIdProblem(clientId: unknown): string | null {
  if (typeof clientId !== 'string') return `"clientId" must be a string, got ${describe(clientId)}`;
  if (clientId.length === 0) return '"clientId" must not be empty';
  const bytes = utf8ByteLength(clientId);
  if (bytes > KV_MAX_CLIENT_ID_BYTES) {
    return `"clientId" is ${bytes} bytes, more than the ${KV_MAX_CLIENT_ID_BYTES}-byte limit`;
  }
  return null;
}

/** Names the JSON type of a value for error messages ("null", "array", "number 1.5", ...). */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return `number ${value}`;
  if (typeof value === 'string') return 'a string';
  return `${typeof value === 'object' ? 'an' : 'a'} ${typeof value}`;
}

/** A plain JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The first own field of `object` not in `allowed`, or null. */
export function firstExtraField(object: Record<string, unknown>, allowed: readonly string[]): string | null {
  for (const field of Object.keys(object)) if (!allowed.includes(field)) return field;
  return null;
}
