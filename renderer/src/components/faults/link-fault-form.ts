// The link-fault form's numbers as people type them (percent, ms) and as the lab takes them (probabilities, ms),
// and which links carry a fault worth listing.
import { MAX_INJECTED_DELAY_MS, NO_LINK_FAULTS, type LinkFaults } from '../../../../src/protocol/link-faults';

export interface LinkFaultDraft {
  lossPercent: number;
  delayMs: number;
  jitterMs: number;
  duplicatePercent: number;
  blocked: boolean;
}

function clamp(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : min;
}

export function draftToFaults(draft: LinkFaultDraft): LinkFaults {
  return {
    dropProbability: clamp(draft.lossPercent, 0, 100) / 100,
    delayMs: clamp(draft.delayMs, 0, MAX_INJECTED_DELAY_MS),
    jitterMs: clamp(draft.jitterMs, 0, MAX_INJECTED_DELAY_MS),
    duplicateProbability: clamp(draft.duplicatePercent, 0, 100) / 100,
    blocked: draft.blocked,
  };
}

export function faultsToDraft(faults: Readonly<LinkFaults> = NO_LINK_FAULTS): LinkFaultDraft {
  return {
    lossPercent: Math.round(faults.dropProbability * 1000) / 10,
    delayMs: faults.delayMs,
    jitterMs: faults.jitterMs,
    duplicatePercent: Math.round(faults.duplicateProbability * 1000) / 10,
    blocked: faults.blocked,
  };
}

export function isFaulty(faults: Readonly<LinkFaults>): boolean {
  return faults.blocked || faults.dropProbability > 0 || faults.delayMs > 0 || faults.jitterMs > 0 || faults.duplicateProbability > 0;
}

export function describeFaults(faults: Readonly<LinkFaults>): string {
  const parts: string[] = [];
  if (faults.blocked) parts.push('blocked');
  if (faults.dropProbability > 0) parts.push(`${Math.round(faults.dropProbability * 1000) / 10}% loss`);
  if (faults.delayMs > 0 || faults.jitterMs > 0) parts.push(`+${faults.delayMs} ms${faults.jitterMs > 0 ? ` ±${faults.jitterMs}` : ''}`);
  if (faults.duplicateProbability > 0) parts.push(`${Math.round(faults.duplicateProbability * 1000) / 10}% duplicated`);
  return parts.join(', ') || 'none';
}

/** "3->1" to [3, 1]; null for anything else. */
export function parseLinkKey(key: string): readonly [number, number] | null {
  const match = /^(\d{1,2})->(\d{1,2})$/.exec(key);
  return match ? [Number(match[1]), Number(match[2])] : null;
}
