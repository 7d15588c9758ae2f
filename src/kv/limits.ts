// Size bounds of the key-value store. Every command crosses a process boundary and is stored in every replica's
// log, so nothing in it may be unbounded.

/** Longest key, in UTF-8 bytes. */
export const KV_MAX_KEY_BYTES = 256;
/** Longest value, in UTF-8 bytes (64 KiB). */
export const KV_MAX_VALUE_BYTES = 64 * 1024;
/** Longest client id, in UTF-8 bytes. */
export const KV_MAX_CLIENT_ID_BYTES = 128;
/**
 * Longest encoded command, in UTF-16 code units. JSON may escape one code unit as six characters (`\uXXXX`), and a
 * cas carries two values, so this bounds any valid command with room to spare for field names.
 */
export const KV_MAX_COMMAND_CHARS = 6 * (KV_MAX_CLIENT_ID_BYTES + KV_MAX_KEY_BYTES + 2 * KV_MAX_VALUE_BYTES) + 1024;
/**
 * Open client sessions (dissertation §6.3); past this the least recently used one expires, on every replica at the
 * same index. A lab runs tens of clients. The renderer's KV view keeps the same bound (renderer/src/model/limits.ts,
 * MAX_KV_SESSIONS), so that it expires the same sessions as the nodes (test/unit/kv/kv-mirror.test.ts).
 */
export const KV_MAX_SESSIONS = 1024;
/** Total bytes of keys plus values the store holds; a write that would exceed it fails ('store-full'). */
export const KV_MAX_STORE_BYTES = 64 * 1024 * 1024;
