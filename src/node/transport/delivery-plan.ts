// What the link faults do to one outgoing frame: a pure decision, so it can be tested without sockets and
// replayed from a seeded random source.
import type { LinkFaults } from '../../protocol/link-faults';

/** The fate of one `send`, reported once and synchronously through `onSent`. */
export type SendFate = 'sent' | 'dropped' | 'duplicated' | 'blocked';

export interface DeliveryPlan {
  readonly fate: SendFate;
  /** One delay per copy to deliver (empty when blocked or dropped), already multiplied by the time scale. */
  readonly copyDelaysMs: readonly number[];
}

const BLOCKED: DeliveryPlan = { fate: 'blocked', copyDelaysMs: [] };
const DROPPED: DeliveryPlan = { fate: 'dropped', copyDelaysMs: [] };

/**
 * Order of the rules: a blocked link passes nothing; then loss; then duplication. Each copy gets its own delay
 * in [delayMs, delayMs + jitterMs) * timeScale, so jitter reorders frames and a duplicate may overtake its original.
 * `random` is drawn only for faults that are switched on, so a fault-free link consumes no randomness.
 */
export function planDelivery(faults: LinkFaults, timeScale: number, random: () => number): DeliveryPlan {
  if (faults.blocked) return BLOCKED;
  if (faults.dropProbability > 0 && random() < faults.dropProbability) return DROPPED;
  const duplicate = faults.duplicateProbability > 0 && random() < faults.duplicateProbability;
  const delayOfOneCopyMs = (): number => {
    const jitterMs = faults.jitterMs > 0 ? random() * faults.jitterMs : 0;
    return (faults.delayMs + jitterMs) * timeScale;
  };
  return duplicate
    ? { fate: 'duplicated', copyDelaysMs: [delayOfOneCopyMs(), delayOfOneCopyMs()] }
    : { fate: 'sent', copyDelaysMs: [delayOfOneCopyMs()] };
}
