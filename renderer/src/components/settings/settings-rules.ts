// What makes a cluster configuration sensible, in words a student can act on. The lab validates too (and refuses
// nonsense); these rules catch mistakes before a start, and warn about legal but confusing choices.
import { MAX_UI_NODES, type ClusterSettings } from '../../../../src/protocol/lab-api';

export const QUICK_NODE_COUNTS = [3, 5] as const;
export const MAX_TIME_SCALE = 100;
export const TIME_SCALE_CHOICES = [1, 5, 10, 30, 100] as const;

export function settingsErrors(settings: ClusterSettings): string[] {
  const errors: string[] = [];
  const [minMs, maxMs] = settings.electionTimeoutMs;
  if (!Number.isInteger(settings.nodeCount) || settings.nodeCount < 1 || settings.nodeCount > MAX_UI_NODES) {
    errors.push(`The number of servers must be a whole number from 1 to ${MAX_UI_NODES}.`);
  }
  if (!(minMs >= 10 && maxMs <= 60_000)) errors.push('Election timeouts must be between 10 and 60000 ms.');
  // Equal ends are a fixed timeout (Figure 16's 150–150 ms): legal, and warned about below.
  if (!(minMs <= maxMs)) errors.push('The election timeout\'s minimum must not exceed its maximum (equal ends: a fixed timeout).');
  if (!(settings.heartbeatMs >= 5 && settings.heartbeatMs <= 30_000)) errors.push('The heartbeat interval must be between 5 and 30000 ms.');
  if (!(settings.timeScale >= 1 && settings.timeScale <= MAX_TIME_SCALE)) errors.push(`Slow motion must be between 1x and ${MAX_TIME_SCALE}x.`);
  if (settings.membershipMode !== undefined && settings.membershipMode !== 'single-server' && settings.membershipMode !== 'joint') {
    errors.push('Membership changes are either one server at a time or by joint consensus.');
  }
  if (settings.implementation?.kind === 'executable' && settings.implementation.bin === '') {
    errors.push('Name the executable your servers run (a path, or a command such as python3 with its script as argument).');
  }
  return errors;
}

/** What is wrong with a typed number of servers, in words (null when it is fine): the limit is said, never applied silently. */
export function nodeCountProblem(count: unknown): string | null {
  if (typeof count !== 'number' || !Number.isInteger(count)) return `a whole number of servers, 1 to ${MAX_UI_NODES}`;
  if (count > MAX_UI_NODES) return `at most ${MAX_UI_NODES} servers`;
  if (count < 1) return 'at least 1 server';
  return null;
}

export function settingsWarnings(settings: ClusterSettings): string[] {
  const warnings: string[] = [];
  const [minMs, maxMs] = settings.electionTimeoutMs;
  if (minMs === maxMs) {
    warnings.push(`A fixed election timeout (${minMs}–${maxMs} ms) gives every server the same timer: split votes can repeat many times before a leader wins (the paper's Figure 16).`);
  }
  if (settings.heartbeatMs * 2 > minMs) {
    warnings.push('Heartbeats this slow relative to the election timeout let followers time out under a healthy leader.');
  }
  if (settings.nodeCount % 2 === 0) warnings.push(`${settings.nodeCount} servers tolerate no more failures than ${settings.nodeCount - 1}.`);
  if (settings.bugs.length > 0) warnings.push(`Planted bugs are on: ${settings.bugs.join(', ')}. This cluster is not correct Raft.`);
  return warnings;
}

export function clampTimeScale(value: number): number {
  if (!Number.isFinite(value)) return 1;
  return Math.min(MAX_TIME_SCALE, Math.max(1, value));
}
