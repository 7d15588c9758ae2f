// KV client frames as zod schemas: the lab decodes a node's replies with these; a node decodes requests with
// client.ts's checks (no zod in a node process, docs/benchmarks.md), and the two agree
// (test/unit/protocol/hand-checks.test.ts).
import { z } from 'zod';
import {
  CLIENT_ERROR_MAX_CHARS, CLIENT_ID_MAX_CHARS, CLIENT_OPS, CLIENT_REPLY_STATUSES, CLIENT_REQUEST_RULES, isClientReplyFrame,
  KV_KEY_MAX_CHARS, KV_VALUE_MAX_CHARS, MAX_CLIENT_FRAME_BYTES, type ClientReplyFrame, type ClientRequestFrame,
} from './client';
import { decodeWithSchema } from './schema-helpers';
import { decodeJsonBytes, type Decoded } from './validate';

const kvKey = z.string().min(1).max(KV_KEY_MAX_CHARS);
const kvValue = z.string().max(KV_VALUE_MAX_CHARS);

export const clientRequestFrameSchema = CLIENT_REQUEST_RULES.reduce<z.ZodType<ClientRequestFrame>>(
  (schema, rule) => schema.refine(rule.holds, { message: rule.message, path: [rule.field] }),
  z.strictObject({
    v: z.literal(1),
    requestId: z.string().min(1).max(CLIENT_ID_MAX_CHARS),
    clientId: z.string().min(1).max(CLIENT_ID_MAX_CHARS),
    session: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
    seq: z.number().int().nonnegative(),
    op: z.enum(CLIENT_OPS),
    key: kvKey.optional(),
    value: kvValue.optional(),
    from: kvValue.optional(),
    to: kvValue.optional(),
  }));

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
