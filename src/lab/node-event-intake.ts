// Events from a node process are untrusted until checked: each must be a valid LabEvent about that node itself.
import { labEventSchema, type LabEvent, type UnsequencedLabEvent } from '../protocol/events';

const NODE_EVENT_TYPES = new Set(['raft', 'message', 'log-write', 'node-state', 'error']);

export function validateNodeEvent(raw: Record<string, unknown>, node: number): { ok: true; event: UnsequencedLabEvent } | { ok: false; error: string } {
  const parsed = labEventSchema.safeParse({ ...raw, seq: 0 });
  if (!parsed.success) return { ok: false, error: `invalid event from S${node}: ${parsed.error.issues[0]?.message ?? 'schema'}` };
  const event: LabEvent = parsed.data;
  if (!NODE_EVENT_TYPES.has(event.type)) return { ok: false, error: `S${node} may not report ${event.type} events` };
  if (!('node' in event) || event.node !== node) return { ok: false, error: `S${node} reported an event of another node` };
  const { seq: _seq, ...unsequenced } = event;
  return { ok: true, event: unsequenced as UnsequencedLabEvent };
}
