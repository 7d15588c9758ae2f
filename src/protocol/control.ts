// Frames between the lab and its node processes (not between Raft peers: see wire.ts). The node connects to the
// lab's socket; every frame in both directions carries the per-run secret so that nothing else on the machine can
// drive a node or impersonate one. Decoding never throws: a bad frame is reported and changes nothing.
import { z } from 'zod';

export const CONTROL_PROTOCOL_VERSION = 1;
export const MAX_CONTROL_FRAME_BYTES = 1024 * 1024;

const nodeId = z.number().int().min(1).max(25);
const secret = z.string().min(16).max(128);

export const nodeHelloSchema = z.strictObject({
  v: z.literal(CONTROL_PROTOCOL_VERSION),
  secret,
  type: z.literal('hello'),
  node: nodeId,
  pid: z.number().int().positive(),
  peerEndpoint: z.string().regex(/^tcp:\/\/127\.0\.0\.1:\d{1,5}$/),
  atNs: z.number().nonnegative(),
});

export const nodeToLabSchema = z.discriminatedUnion('type', [nodeHelloSchema]);
export type NodeToLabFrame = z.infer<typeof nodeToLabSchema>;

export const labToNodeSchema = z.discriminatedUnion('type', [
  z.strictObject({ v: z.literal(CONTROL_PROTOCOL_VERSION), secret, type: z.literal('shutdown') }),
]);
export type LabToNodeFrame = z.infer<typeof labToNodeSchema>;

export type Decoded<T> = { ok: true; frame: T } | { ok: false; error: string };

function decodeJsonFrame<T>(bytes: Uint8Array, schema: z.ZodType<T>, expectedSecret: string): Decoded<T> {
  if (bytes.byteLength > MAX_CONTROL_FRAME_BYTES) {
    return { ok: false, error: `frame of ${bytes.byteLength} bytes exceeds ${MAX_CONTROL_FRAME_BYTES}` };
  }
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    return { ok: false, error: `not UTF-8 JSON: ${(error as Error).message}` };
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) return { ok: false, error: `schema: ${z.prettifyError(parsed.error)}` };
  const frameSecret = (parsed.data as { secret: string }).secret;
  if (!constantTimeEqual(frameSecret, expectedSecret)) return { ok: false, error: 'wrong control secret' };
  return { ok: true, frame: parsed.data };
}

export function decodeNodeToLab(bytes: Uint8Array, expectedSecret: string): Decoded<NodeToLabFrame> {
  return decodeJsonFrame(bytes, nodeToLabSchema, expectedSecret);
}

export function decodeLabToNode(bytes: Uint8Array, expectedSecret: string): Decoded<LabToNodeFrame> {
  return decodeJsonFrame(bytes, labToNodeSchema, expectedSecret);
}

export function encodeControlFrame(frame: NodeToLabFrame | LabToNodeFrame): Buffer {
  return Buffer.from(JSON.stringify(frame), 'utf8');
}

// Why constant time: the secret is the only thing standing between a local process and the lab's controls.
function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i += 1) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
