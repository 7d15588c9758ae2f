// The votes each node process granted, by term. A node reports a vote when it decides it, before the vote is on its
// disk; a process that is killed right then may legitimately grant another vote in that term after its restart (the
// first was never sent). So the monitor accuses only what is certain: two different votes granted by the same
// process in one term, or votes the candidates reported receiving (a vote is sent only once it is durable).
import type { NodeId } from '../../raft/types';

/** Terms remembered per voter: a conflict shows within a term or two, and the ledger must stay bounded. */
const MAX_TERMS_PER_VOTER = 64;

interface VoterRecord {
  incarnation: number;
  readonly byTerm: Map<number, NodeId>;
}

export class VoteLedger {
  private readonly voters = new Map<NodeId, VoterRecord>();

  /** `voter`'s process number `incarnation` granted its vote in `term`: returns an earlier, different grant of it. */
  granted(voter: NodeId, incarnation: number, term: number, candidate: NodeId): NodeId | null {
    let record = this.voters.get(voter);
    if (record === undefined || record.incarnation !== incarnation) {
      record = { incarnation, byTerm: new Map() };
      this.voters.set(voter, record);
    }
    const earlier = record.byTerm.get(term);
    if (earlier !== undefined && earlier !== candidate) return earlier;
    if (earlier === undefined) {
      record.byTerm.set(term, candidate);
      if (record.byTerm.size > MAX_TERMS_PER_VOTER) {
        const oldest = record.byTerm.keys().next();
        if (!oldest.done) record.byTerm.delete(oldest.value);
      }
    }
    return null;
  }
}
