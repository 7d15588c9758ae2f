// Bounds of a kv-state event's entries, in a module of their own without zod: node processes check them before
// sending one, and importing them from events.ts would build all of the lab's event schemas in every node
// (~1 MB of live heap that a node never parses with; docs/benchmarks.md, "A node's memory at start").
import { utf8ByteLength } from '../kv/utf8';

/**
 * A lab's KV is small, but a student can fill it; past these the node sends null and the UI says the state is too
 * large to show, rather than one event outgrowing the control channel.
 */
export const KV_STATE_MAX_KEYS = 1000;
export const KV_STATE_MAX_BYTES = 256 * 1024;

/** UTF-8 bytes of all keys plus values: with JSON's quoting this keeps one event well inside a 1 MiB control frame. */
export const kvStateBytes = (entries: readonly (readonly [string, string])[]): number =>
  entries.reduce((sum, [key, value]) => sum + utf8ByteLength(key) + utf8ByteLength(value), 0);
