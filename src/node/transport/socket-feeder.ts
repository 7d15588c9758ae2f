// Feeds queued frames to a ZeroMQ socket that may push back (a DEALER). Why not simply `await socket.send()` per
// frame: each awaited send cost ~20 µs of CPU on the lab machine (promise, microtask, a ZMQ_EVENTS query and, past
// 512 sends in a row, a deferral to the next loop turn), and it was the top self-time entry of every node profile.
// Here, while ZeroMQ has room the frames go out in one synchronous loop (sendTimeout 0: the send completes inside
// the call). Only when the socket pushes back does one frame park in a blocking send, as before.
import type { Dealer } from 'zeromq';

/** Call once when the socket is made: the fast path relies on non-blocking sends. */
export function useNonBlockingSends(socket: Dealer): void {
  socket.sendTimeout = 0;
}

const ignoreSettled = (): void => undefined;

/** The caller's queue, as the feeder sees it. */
export interface FrameSource {
  readonly length: number;
  shift(): Buffer | undefined;
}

/**
 * Sends frames from `source` while the socket has room, synchronously; returns how many it sent. A frame is taken
 * from the source only when it can go out at once, so none is ever taken and then held. (Each `writable` costs a
 * ZMQ_EVENTS query, a syscall: it is asked once per frame, not once more when the source is empty.)
 */
export function sendWhileWritable(socket: Dealer, source: FrameSource, onLost: () => void): number {
  let sent = 0;
  while (source.length > 0 && !socket.closed && socket.writable) {
    const bytes = source.shift();
    if (bytes === undefined) break;
    // `writable` promised room for one frame and sendTimeout is 0, so this completes now. Should ZeroMQ refuse it
    // anyway, the promise rejects and the frame is counted as lost, like one dropped by a network.
    socket.send(bytes).then(ignoreSettled, onLost);
    sent += 1;
  }
  return sent;
}

/** Waits until the socket takes `bytes` (back-pressure); false if it was closed first. Never throws. */
export async function sendBlocking(socket: Dealer, bytes: Buffer): Promise<boolean> {
  try {
    socket.sendTimeout = -1;
    await socket.send(bytes);
    return true;
  } catch {
    return false; // closed under the parked send (retarget or close): the frame is lost, like on a network
  } finally {
    if (!socket.closed) socket.sendTimeout = 0;
  }
}
