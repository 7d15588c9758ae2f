// A cluster configuration (dissertation ch. 4) in words, for the inspector and the log view.
import type { ConfigurationView } from '../../../src/protocol/events';

const servers = (ids: readonly number[]): string => (ids.length === 0 ? 'none' : ids.map((id) => `S${id}`).join(', '));

/** "voters S1, S2, S3 · learners S4" (and "old voters …" in joint consensus's C_old,new). */
export function describeConfiguration(config: ConfigurationView): string {
  const parts = [`voters ${servers(config.voters)}`];
  if (config.learners.length > 0) parts.push(`learners ${servers(config.learners)}`);
  if (config.outgoing.length > 0) parts.push(`old voters ${servers(config.outgoing)} (joint)`);
  return parts.join(' · ');
}

export function sameConfiguration(a: ConfigurationView, b: ConfigurationView): boolean {
  return a.voters.join() === b.voters.join() && a.learners.join() === b.learners.join() && a.outgoing.join() === b.outgoing.join();
}
