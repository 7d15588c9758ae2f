// `--bugs a,b`: planted bugs switched on in every node (for exercises and to see the safety monitor catch them).
import { parseBugNames } from '../sim/faults/bugs';
import type { BugName } from '../raft/types';
import { UsageError } from './args';
import type { CommandSpec } from './command-spec';

export function bugsFlag(value: string | undefined, command?: CommandSpec): BugName[] {
  if (value === undefined) return [];
  try {
    return parseBugNames(value.split(',').map((name) => name.trim()).filter((name) => name !== ''));
  } catch (error) {
    throw new UsageError((error as Error).message, command);
  }
}
