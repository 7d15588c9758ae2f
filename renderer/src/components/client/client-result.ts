// What the client panel says about one request: the value read, "ok", or why not. Kept apart from the component
// because its exact wording is public (tests read `client-result`).
import type { ClientOutcome } from '../../stores/commands-store';

export const PENDING_TEXT = '…';
export const ABSENT_TEXT = '(absent)';

/**
 * How an answer looks: an ordinary "not applied" (a cas that found another value) is not a failure; a read the lab's
 * safety monitor proved stale is not "ok".
 */
export type ResultLook = 'ok' | 'stale' | 'not-applied' | 'fail' | 'unknown' | 'bad' | 'pending';

export const STALE_NOTE = 'stale: a write committed before this read was missed';

function quoted(value: string | null | undefined): string {
  return value === null || value === undefined ? 'absent' : `"${value}"`;
}

/**
 * A cas that found another value than expected: the cluster answered, and correctly did nothing. The lab's client
 * (src/lab/client/kv-client.ts) words this "cas failed: the value is …"; a cas refused for another reason (a full
 * store) stays a failure.
 */
export function isCasMismatch(outcome: ClientOutcome): boolean {
  const result = outcome.result;
  return outcome.request.op === 'cas' && result?.status === 'fail' && (result.error ?? '').startsWith('cas failed');
}

export function clientResultText(outcome: ClientOutcome): string {
  if (outcome.callError !== null) return outcome.callError;
  const result = outcome.result;
  if (result === null) return PENDING_TEXT;
  if (result.status === 'ok') return outcome.request.op === 'get' ? `${result.value ?? ABSENT_TEXT}${result.stale === true ? ' (stale)' : ''}` : 'ok';
  if (isCasMismatch(outcome)) return `not applied: the value was ${quoted(result.value)}, not ${quoted(outcome.request.from)}`;
  if (result.status === 'fail') return result.error ?? 'failed: not applied';
  return result.error ?? 'unknown: no answer in time; the write may or may not have happened';
}

export function clientResultLook(outcome: ClientOutcome): ResultLook {
  if (outcome.callError !== null) return 'bad';
  if (outcome.result === null) return 'pending';
  if (outcome.result.stale === true) return 'stale';
  return isCasMismatch(outcome) ? 'not-applied' : outcome.result.status;
}

/** Who answered: "served by S2", or, when the request was sent to another server first, the way it went. */
function answeredBy(outcome: ClientOutcome, servedBy: number): string {
  const sentTo = outcome.request.node;
  return sentTo === undefined || sentTo === servedBy ? `served by S${servedBy}` : `sent to S${sentTo}, answered by leader S${servedBy}`;
}

/** The small print under the result: how long it took, who answered, where it went in the log. */
export function clientResultDetail(outcome: ClientOutcome): string {
  const result = outcome.result;
  if (result === null) return outcome.callError === null ? 'waiting for the cluster…' : '';
  const parts = [isCasMismatch(outcome) ? 'not applied' : result.stale === true ? STALE_NOTE : result.status, `${result.latencyMs.toFixed(1)} ms`];
  if (result.servedBy !== null) parts.push(answeredBy(outcome, result.servedBy));
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
