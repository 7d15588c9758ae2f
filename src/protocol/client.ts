// KV client <-> node frames. A client sends to any node; a node that is not the leader answers with a hint.
// Decoding never throws: a bad frame gets an error reply (when it has an id) and changes nothing.
import { z } from 'zod';
import { decodeWithSchema, type Decoded } from './validate';

export const MAX_CLIENT_FRAME_BYTES = 128 * 1024;

const kvKey = z.string().min(1).max(256);
const kvValue = z.string().max(64 * 1024);

export const clientRequestFrameSchema = z.strictObject({
  v: z.literal(1),
  requestId: z.string().min(1).max(64),
  clientId: z.string().min(1).max(64),
  /** Session sequence number of a write (dissertation §6.3); a retry reuses it. Reads carry 0. */
  seq: z.number().int().nonnegative(),
  op: z.enum(['get', 'put', 'delete', 'cas']),
  key: kvKey,
  value: kvValue.optional(),
  from: kvValue.optional(),
  to: kvValue.optional(),
});
export type ClientRequestFrame = z.infer<typeof clientRequestFrameSchema>;

export const clientReplyFrameSchema = z.strictObject({
  v: z.literal(1),
  requestId: z.string().max(64),
  /** ok / fail: final. not-leader: try leaderHint. retry: leadership changed under the request, try again. */
  status: z.enum(['ok', 'fail', 'not-leader', 'retry', 'error']),
  value: kvValue.nullable(),
  leaderHint: z.number().int().min(1).max(25).nullable(),
  index: z.number().int().nonnegative().nullable(),
  node: z.number().int().min(1).max(25),
  error: z.string().max(1024).nullable(),
});
export type ClientReplyFrame = z.infer<typeof clientReplyFrameSchema>;

export function decodeClientRequest(bytes: Uint8Array): Decoded<ClientRequestFrame> {
  return decodeWithSchema(bytes, clientRequestFrameSchema, MAX_CLIENT_FRAME_BYTES, 'client request');
}

export function decodeClientReply(bytes: Uint8Array): Decoded<ClientReplyFrame> {
  return decodeWithSchema(bytes, clientReplyFrameSchema, MAX_CLIENT_FRAME_BYTES, 'client reply');
}
