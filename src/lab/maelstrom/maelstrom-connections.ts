// The lab's Maelstrom clients reach a student's nodes through each relay's client socket (src/node/maelstrom/
// client-socket.ts): one DEALER per node, shared by every client; a reply is matched to its request by the client it
// is addressed to and its in_reply_to, whichever node sends it (in Maelstrom any node may answer a client: a leader
// answering what a follower forwarded). A request made while ZeroMQ is still connecting to a node (just after the
// cluster started or the node restarted) waits for the connection within its own timeout instead of being refused:
// refused requests are recorded failed, and a healthy run's summary showed a few. Bounded: at most MAX_IN_FLIGHT
// requests wait at once.
import * as zmq from 'zeromq';
import { decodeClientMessage, LAB_CLIENTS_HELLO, LAB_INIT_CLIENT, nodeNameOf, type MaelstromMessage } from '../../protocol/maelstrom';
import type { NodeId } from '../../raft/types';

const MAX_IN_FLIGHT = 20_000;
const GREET_RETRY_MS = 20;
const GREET_DEADLINE_MS = 10_000;

/** What became of one request. `refused`: it never left (the node is down): it certainly did not take effect. */
export type RequestOutcome = { kind: 'reply'; message: MaelstromMessage } | { kind: 'timeout' } | { kind: 'refused' };

interface Connection {
  readonly endpoint: string;
  readonly socket: zmq.Dealer;
  readonly waiting: Map<string, (outcome: RequestOutcome) => void>;
  /** ZeroMQ has connected (the greeting went out): a send now leaves at once. */
  connected: boolean;
  /** Settles once the greeting went out (true) or never will (false: gave up, replaced or closed). */
  readonly ready: Promise<boolean>;
}

export class MaelstromConnections {
  private readonly connections = new Map<NodeId, Connection>();
  private inFlight = 0;
  private closed = false;
  /** Replies that were not valid messages, or answered nothing we asked (late ones: after their timeout). */
  strayReplies = 0;
  /**
   * The last msg_id each client name used, over every run these connections serve: a reply is matched by client and
   * in_reply_to, so a late reply to an earlier run's request (timed out, recorded unknown) must not find a request of
   * a later run waiting under the same id. Client names are few (c1..cN and the UI's), so this stays small.
   */
  private readonly lastMsgIds = new Map<string, number>();

  /** The next msg_id for `client`: never one it used before on these connections. */
  nextMsgId(client: string): number {
    const next = (this.lastMsgIds.get(client) ?? 0) + 1;
    this.lastMsgIds.set(client, next);
    return next;
  }

  /** Point node `id` at `endpoint` (a restarted node listens on a new port); null: it is down. */
  setEndpoint(id: NodeId, endpoint: string | null): void {
    const existing = this.connections.get(id);
    if (existing?.endpoint === endpoint) return;
    if (existing) {
      existing.socket.close();
      this.connections.delete(id);
      // Requests to the old process stay pending until their timeout: whether they took effect is unknown.
    }
    if (endpoint === null || this.closed) return;
    const socket = new zmq.Dealer({ linger: 0, sendHighWaterMark: 10_000, receiveHighWaterMark: 10_000, immediate: true, sendTimeout: 0 });
    socket.connect(endpoint);
    let settleReady: (up: boolean) => void = () => undefined;
    const ready = new Promise<boolean>((resolve) => { settleReady = resolve; });
    const connection: Connection = { endpoint, socket, waiting: new Map(), connected: false, ready };
    this.connections.set(id, connection);
    void this.receive(connection);
    void this.greet(id, connection).then((up) => {
      connection.connected = up;
      settleReady(up);
    });
  }

  /**
   * Waits until the connection to each of `ids` is up (its greeting went out), at most `deadlineMs`; the ids it never
   * came up for, in order (none: every node can be reached). A node without an endpoint (down) is one of them.
   */
  async whenConnected(ids: readonly NodeId[], deadlineMs: number): Promise<NodeId[]> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => { timer = setTimeout(resolve, deadlineMs); });
    try {
      await Promise.race([late, Promise.all(ids.map((id) => this.connections.get(id)?.ready))]);
    } finally {
      clearTimeout(timer);
    }
    return ids.filter((id) => this.connections.get(id)?.connected !== true);
  }

  /**
   * Tells the node's relay where the lab's clients are (LAB_CLIENTS_HELLO) as soon as the connection is up, so that it
   * can pass on a reply to a client that never wrote to it. Until ZeroMQ has connected, a send fails at once
   * (`immediate`): it is tried again every GREET_RETRY_MS, for GREET_DEADLINE_MS at most, while this is the node's
   * connection. True once it went out: the connection is up.
   */
  private async greet(id: NodeId, connection: Connection): Promise<boolean> {
    const hello = Buffer.from(JSON.stringify({ src: LAB_INIT_CLIENT, dest: nodeNameOf(id), body: { type: LAB_CLIENTS_HELLO } }));
    const until = performance.now() + GREET_DEADLINE_MS;
    while (!this.closed && this.connections.get(id) === connection && !connection.socket.closed && performance.now() < until) {
      try {
        await connection.socket.send(hello);
        return true;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, GREET_RETRY_MS));
      }
    }
    return false;
  }

  /**
   * Sends `message` to node `id` (once the connection is up, if it is still being made) and waits up to `timeoutMs`
   * in all for the reply to its msg_id. Refused: it never left (the node is down, or could not be reached in time).
   */
  request(id: NodeId, message: MaelstromMessage, timeoutMs: number): Promise<RequestOutcome> {
    const connection = this.connections.get(id);
    const key = replyKey(message.src, message.body.msg_id);
    if (!connection || this.closed || this.inFlight >= MAX_IN_FLIGHT || connection.waiting.has(key)) {
      return Promise.resolve({ kind: 'refused' });
    }
    return new Promise<RequestOutcome>((resolve) => {
      const settle = (outcome: RequestOutcome): void => {
        if (connection.waiting.get(key) !== settle) return;
        clearTimeout(timer);
        connection.waiting.delete(key);
        this.inFlight -= 1;
        resolve(outcome);
      };
      let sent = false;
      const timer = setTimeout(() => settle(sent ? { kind: 'timeout' } : { kind: 'refused' }), timeoutMs);
      connection.waiting.set(key, settle);
      this.inFlight += 1;
      const send = (): void => {
        if (connection.waiting.get(key) !== settle) return; // timed out or closed while the connection was being made
        if (connection.socket.closed) {
          settle({ kind: 'refused' });
          return;
        }
        sent = true;
        connection.socket.send(Buffer.from(JSON.stringify(message))).then(undefined, () => settle({ kind: 'refused' }));
      };
      if (connection.connected) send();
      else void connection.ready.then((up) => (up ? send() : settle({ kind: 'refused' })));
    });
  }

  close(): void {
    this.closed = true;
    for (const connection of this.connections.values()) {
      connection.socket.close();
      for (const settle of [...connection.waiting.values()]) settle({ kind: 'timeout' });
    }
    this.connections.clear();
  }

  /**
   * The request a reply answers: first on the connection it came back on, else on any (msg_ids never repeat for a
   * client on these connections, see nextMsgId, so the match is unambiguous).
   */
  private waitingFor(connection: Connection, key: string): ((outcome: RequestOutcome) => void) | undefined {
    const here = connection.waiting.get(key);
    if (here) return here;
    for (const other of this.connections.values()) {
      const settle = other.waiting.get(key);
      if (settle) return settle;
    }
    return undefined;
  }

  private async receive(connection: Connection): Promise<void> {
    try {
      for await (const [payload] of connection.socket) {
        if (!payload) continue;
        const decoded = decodeClientMessage(payload);
        const waiting = decoded.ok ? this.waitingFor(connection, replyKey(decoded.value.dest, decoded.value.body.in_reply_to)) : undefined;
        if (decoded.ok && waiting) waiting({ kind: 'reply', message: decoded.value });
        else this.strayReplies += 1;
      }
    } catch {
      // closed
    }
  }
}

function replyKey(client: string, msgId: number | undefined): string {
  return `${client}/${msgId ?? '-'}`;
}
