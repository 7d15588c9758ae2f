// What the client panel says about one request: the value read, "ok", or why not. Kept apart from the component
// because its exact wording is public (tests read `client-result`).
import type { ClientOutcome } from '../../stores/commands-store';

export const PENDING_TEXT = '…';
export const ABSENT_TEXT = '(absent)';

export function clientResultText(outcome: ClientOutcome): string {
  if (outcome.callError !== null) return outcome.callError;
  const result = outcome.result;
  if (result === null) return PENDING_TEXT;
  if (result.status === 'ok') return outcome.request.op === 'get' ? (result.value ?? ABSENT_TEXT) : 'ok';
  if (result.status === 'fail') return result.error ?? 'failed: not applied';
  return result.error ?? 'unknown: no answer in time; the write may or may not have happened';
}

/** The small print under the result: how long it took, who answered, where it went in the log. */
export function clientResultDetail(outcome: ClientOutcome): string {
  const result = outcome.result;
  if (result === null) return outcome.callError === null ? 'waiting for the cluster…' : '';
  const parts = [`${result.status}`, `${result.latencyMs.toFixed(1)} ms`];
  if (result.servedBy !== null) parts.push(`served by S${result.servedBy}`);
  if (result.index !== null) parts.push(`log index ${result.index}`);
  return parts.join(' · ');
}

export function describeRequest(outcome: ClientOutcome): string {
  const { request } = outcome;
  const via = request.node === undefined ? '' : ` via S${request.node}`;
  switch (request.op) {
    case 'put': return `put ${request.key} = ${request.value ?? ''}${via}`;
    case 'cas': return `cas ${request.key}: ${request.from ?? ''} → ${request.to ?? ''}${via}`;
    default: return `${request.op} ${request.key}${via}`;
  }
}
