// A test reference: KV client requests as a zod schema, the rules client.ts's hand-written check replaced. Only the
// tests hold that check to it (hand-checks.test.ts, fast-checks.test.ts); a node never loads zod (docs/benchmarks.md).
import { z } from 'zod';
import {
  CLIENT_ID_MAX_CHARS, CLIENT_OPS, CLIENT_REQUEST_RULES, KV_KEY_MAX_CHARS, KV_VALUE_MAX_CHARS, type ClientRequestFrame,
} from '../../../../src/protocol/client';

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
