// Between a LabHistory and a Session: what to save (the window and the state before it) and what to replay.
import type { LabSnapshot, NodeView } from '../../../src/protocol/lab-api';
import { LabHistory } from '../model/lab-history';
import { modelFromSnapshot, type BaseNodeDetail, type ModelState } from '../model/model-state';
import type { Session } from './session-format';

export function sessionFromHistory(history: LabHistory, savedAt: Date): Session {
  const base = history.base;
  return {
    savedAt: savedAt.toISOString(),
    settings: history.live.settings,
    base: snapshotOf(base),
    baseNodes: baseNodesOf(base),
    events: history.events.slice(),
  };
}

/** A history that replays a loaded session: its base, then every recorded event. */
export function historyFromSession(session: Session): LabHistory {
  const base = modelFromSnapshot(session.base, session.baseNodes);
  const history = new LabHistory(base);
  history.append(session.events);
  return history;
}

function snapshotOf(state: ModelState): LabSnapshot {
  const view = state.view;
  const nodes: NodeView[] = Object.values(view.nodes).map((node) => ({
    id: node.id, status: node.status, pid: node.pid, peerEndpoint: node.peerEndpoint, role: node.role, term: node.term,
    votedFor: node.votedFor, leaderId: node.leaderId, commitIndex: node.commitIndex, lastApplied: node.lastApplied,
    lastLogIndex: node.lastLogIndex,
  }));
  return { phase: view.phase, settings: view.settings, nodes, blockedLinks: view.blockedLinks, linkFaults: {},
    atNs: view.atNs, nextSeq: view.seq + 1 };
}

function baseNodesOf(state: ModelState): Record<number, BaseNodeDetail> {
  const details: Record<number, BaseNodeDetail> = {};
  for (const node of Object.values(state.view.nodes)) {
    const shadow = state.kv[node.id];
    details[node.id] = { log: node.log, kv: shadow?.values ?? node.kv, sessions: shadow?.sessions ?? {},
      appliedIndex: shadow?.appliedIndex ?? node.lastApplied,
      ...(shadow?.restoredAt === undefined ? {} : { restoredAt: shadow.restoredAt }),
      ...(node.kvTooLargeAt === undefined ? {} : { kvTooLargeAt: node.kvTooLargeAt }) };
  }
  return details;
}
