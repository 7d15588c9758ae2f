// The app's client box against a student's own nodes: get, put and cas become Maelstrom's lin-kv read, write and
// cas (keys and values that are integers are sent as numbers, as Maelstrom does; others as strings). It asks the node
// the lab last heard lead (from raft_lab_state), else each running node in turn, and moves on from a node that
// answers 11 (temporarily unavailable: not the leader) or cannot be reached, round after round until its time is up.
// Only a request that never left counts as failed; once sent, no answer is unknown. lin-kv has no delete.
import type { ClientRequest, ClientResult } from '../../protocol/lab-api';
import { isDefiniteError, MAELSTROM_ERRORS, nodeNameOf, type MaelstromBody } from '../../protocol/maelstrom';
import type { NodeId } from '../../raft/types';
import type { MaelstromConnections } from './maelstrom-connections';

/** The UI's own client name; the workload's clients are c1.. (lin-kv-workload.ts). */
const UI_CLIENT = 'c999';
const DEFAULT_TIMEOUT_MS = 2000;
const ROUND_PAUSE_MS = 50;

export interface MaelstromUiClientContext {
  readonly connections: MaelstromConnections;
  /** Running nodes and their client endpoints now. */
  liveNodes(): NodeId[];
  endpointOf(id: NodeId): string | null;
  leaderGuess(): NodeId | null;
}

export class MaelstromUiClient {
  constructor(private readonly c: MaelstromUiClientContext) {}

  async request(request: ClientRequest & { readonly node?: NodeId; readonly timeoutMs?: number }): Promise<ClientResult> {
    const startedMs = performance.now();
    const result = (status: ClientResult['status'], value: string | null, servedBy: NodeId | null, error: string | null): ClientResult =>
      ({ status, value, servedBy, latencyMs: performance.now() - startedMs, error, index: null });
    if (request.op === 'delete') return result('fail', null, null, 'a node speaking Maelstrom\'s lin-kv has no delete');
    const body = bodyOf(request);
    const until = startedMs + (request.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const tried = new Set<NodeId>();
    let lastError = 'no node is running';
    for (;;) {
      let node = this.pick(request.node, tried);
      if (node === null && until - performance.now() > ROUND_PAUSE_MS) {
        // Every node refused or is not the leader (an election, a connection still being made): another round.
        await sleep(ROUND_PAUSE_MS);
        tried.clear();
        node = this.pick(request.node, tried);
      }
      const leftMs = until - performance.now();
      if (node === null || leftMs <= 0) return result('unknown', null, null, lastError);
      tried.add(node);
      this.c.connections.setEndpoint(node, this.c.endpointOf(node));
      const outcome = await this.c.connections.request(node, { src: UI_CLIENT, dest: nodeNameOf(node),
        body: { ...body, msg_id: this.c.connections.nextMsgId(UI_CLIENT) } as MaelstromBody }, leftMs);
      if (outcome.kind === 'timeout') return result('unknown', null, node, `S${node} did not answer in time`);
      if (outcome.kind === 'refused') {
        lastError = `S${node} could not be reached`;
        continue;
      }
      const answer = outcome.message.body;
      if (answer.type === `${body.type}_ok`) {
        return result('ok', body.type === 'read' ? textOf(answer['value']) : null, node, null);
      }
      if (answer.type !== 'error') return result('unknown', null, node, `S${node} answered ${answer.type}`);
      const code = typeof answer['code'] === 'number' ? answer['code'] : -1;
      const text = typeof answer['text'] === 'string' ? `: ${answer['text'].slice(0, 200)}` : '';
      if (body.type === 'read' && code === MAELSTROM_ERRORS.keyDoesNotExist) return result('ok', null, node, null);
      if (code === MAELSTROM_ERRORS.temporarilyUnavailable && request.node === undefined) {
        lastError = `S${node}: error 11${text}`;
        continue; // not the leader, most likely: ask another
      }
      return result(isDefiniteError(code) ? 'fail' : 'unknown', null, node, `error ${code}${text}`);
    }
  }

  private pick(pinned: NodeId | undefined, tried: ReadonlySet<NodeId>): NodeId | null {
    if (pinned !== undefined) return tried.has(pinned) ? null : pinned;
    const live = this.c.liveNodes();
    const leader = this.c.leaderGuess();
    if (leader !== null && live.includes(leader) && !tried.has(leader)) return leader;
    return live.find((node) => !tried.has(node)) ?? null;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function bodyOf(request: ClientRequest): { type: 'read' | 'write' | 'cas'; [field: string]: unknown } {
  const key = numberOrText(request.key);
  if (request.op === 'get') return { type: 'read', key };
  if (request.op === 'put') return { type: 'write', key, value: numberOrText(request.value ?? '') };
  return { type: 'cas', key, from: numberOrText(request.from ?? ''), to: numberOrText(request.to ?? '') };
}

function numberOrText(text: string): number | string {
  return /^-?\d{1,15}$/.test(text) ? Number(text) : text;
}

function textOf(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return (typeof value === 'string' ? value : JSON.stringify(value)).slice(0, 65_536);
}
