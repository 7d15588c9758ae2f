// Invariants checked after every input. They are cheap (O(peers)), so they run always, in production too.
// The ones a planted bug breaks on purpose are only asserted when no bug is switched on.
// Hot path: each check tests first and builds its message only on failure.

import { fail } from './assert';
import { isCorrectRaft, type NodeState } from './state';

/** Names the peer whose progress is broken (kept out of the hot loop above). */
function failProgress(s: NodeState, lastIndex: number): never {
  for (const [peer, pr] of s.progress) {
    if (pr.nextIndex < 1 || pr.nextIndex > lastIndex + 1) fail(`S${peer} nextIndex ${pr.nextIndex} outside 1..${lastIndex + 1}`);
    if (pr.matchIndex >= pr.nextIndex) fail(`S${peer} matchIndex ${pr.matchIndex} >= nextIndex ${pr.nextIndex}`);
  }
  return fail('progress broken');
}

export function checkInvariants(s: NodeState): void {
  const lastIndex = s.log.lastIndex();
  const snapshotIndex = s.log.snapshotIndex();
  if (s.lastApplied > s.commitIndex) fail(`lastApplied ${s.lastApplied} > commitIndex ${s.commitIndex}`);
  if (s.commitIndex > lastIndex && isCorrectRaft(s)) fail(`commitIndex ${s.commitIndex} > last log index ${lastIndex}`);
  // §7: only applied (so committed) entries are ever compacted.
  if (snapshotIndex > s.lastApplied) fail(`snapshot index ${snapshotIndex} > lastApplied ${s.lastApplied}`);
  if ((s.snapshot?.lastIncludedIndex ?? 0) !== snapshotIndex) fail(`snapshot ${s.snapshot?.lastIncludedIndex ?? 0} differs from the log's snapshot index ${snapshotIndex}`);
  if (s.log.lastTerm() > s.term) fail(`log holds term ${s.log.lastTerm()} beyond currentTerm ${s.term}`);
  if ((s.role === 'leader') !== (s.leaderId === s.config.id)) fail(`role ${s.role} but leaderId S${s.leaderId ?? 0}`);
  if ((s.role === 'candidate' || s.role === 'leader') && s.votedFor !== s.config.id) {
    fail(`${s.role} S${s.config.id} voted for S${s.votedFor ?? 0} in its own term ${s.term}`);
  }
  if (s.role !== 'leader') {
    if (s.progress.size !== 0) fail(`${s.role} keeps leader progress`);
    return;
  }
  if (s.progress.size !== s.membership.peers.length) fail(`leader tracks ${s.progress.size} peers, its configuration has ${s.membership.peers.length}`);
  for (const pr of s.progress.values()) {
    if (pr.nextIndex < 1 || pr.nextIndex > lastIndex + 1 || pr.matchIndex >= pr.nextIndex) failProgress(s, lastIndex);
  }
}
