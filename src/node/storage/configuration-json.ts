// A configuration (dissertation ch. 4) as stored on disk: in WAL records (configuration entries, the snapshot
// reference) and in snapshot file headers. Decoding applies the core's own rules (configurationProblem), so a
// damaged or hand-edited file is refused with the reason instead of handing the core a configuration it would trip on.
import { configurationProblem } from '../../raft/message-checks';
import type { Configuration } from '../../raft/types';

/** Always the same key order, so a header written twice compares equal as text. */
export function encodeConfiguration(config: Configuration): string {
  return JSON.stringify({ voters: config.voters, learners: config.learners, outgoing: config.outgoing });
}

/** Throws Error naming `what` when `value` is not a configuration. */
export function decodeConfiguration(value: unknown, what: string): Configuration {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${what} is not an object`);
  const keys = Object.keys(value).sort().join(',');
  if (keys !== 'learners,outgoing,voters') throw new Error(`${what} has fields ${keys}, not voters, learners and outgoing`);
  const problem = configurationProblem(value);
  if (problem !== null) throw new Error(`${what}: ${problem}`);
  const { voters, learners, outgoing } = value as Configuration;
  return { voters: [...voters], learners: [...learners], outgoing: [...outgoing] };
}
