// KV client replies as a zod schema: the lab decodes a node's replies with it. A node decodes requests with client.ts's
// hand-written check alone (no zod in a node process, docs/benchmarks.md).
import { z } from 'zod';
import {
  CLIENT_ERROR_MAX_CHARS, CLIENT_ID_MAX_CHARS, CLIENT_REPLY_STATUSES, isClientReplyFrame, KV_VALUE_MAX_CHARS,
  MAX_CLIENT_FRAME_BYTES, type ClientReplyFrame,
} from './client';
import { decodeWithSchema } from './schema-helpers';
import { decodeJsonBytes, type Decoded } from './validate';

const kvValue = z.string().max(KV_VALUE_MAX_CHARS);

export const clientReplyFrameSchema = z.strictObject({
  v: z.literal(1),
  requestId: z.string().max(CLIENT_ID_MAX_CHARS),
  status: z.enum(CLIENT_REPLY_STATUSES),
  value: kvValue.nullable(),
  leaderHint: z.number().int().min(1).max(25).nullable(),
  index: z.number().int().nonnegative().nullable(),
  node: z.number().int().min(1).max(25),
  error: z.string().max(CLIENT_ERROR_MAX_CHARS).nullable(),
});

type AssertAssignable<Sub extends Super, Super> = [Sub, Super];
export type ClientReplySchemaMatchesFrame = [
  AssertAssignable<z.infer<typeof clientReplyFrameSchema>, ClientReplyFrame>,
  AssertAssignable<ClientReplyFrame, z.infer<typeof clientReplyFrameSchema>>,
];

/** The lab's decoder: the fast check first (every write's reply crosses it), the schema explains a rejection. */
export function decodeClientReply(bytes: Uint8Array): Decoded<ClientReplyFrame> {
  const json = decodeJsonBytes(bytes, MAX_CLIENT_FRAME_BYTES);
  if (json.ok && isClientReplyFrame(json.value)) return { ok: true, value: json.value };
  return decodeWithSchema(bytes, clientReplyFrameSchema, MAX_CLIENT_FRAME_BYTES, 'client reply');
}
