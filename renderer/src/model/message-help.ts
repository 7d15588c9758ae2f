// Words for the messages students meet less often than Figure 2's, shared by the cluster view, the timeline and their
// legends.

/** What InstallSnapshot is (Raft paper, §7 and Figure 13). */
export const INSTALL_SNAPSHOT_HELP = 'InstallSnapshot (Figure 13): the leader compacted its log into a snapshot (§7) and this ' +
  'follower needs entries that are now gone, so the leader sends the snapshot itself, in chunks; the follower replaces its ' +
  'state machine and the log the snapshot covers, and the leader goes on with AppendEntries after it.';
