// Several client requests in one ZeroMQ message, one frame per part (each part exactly a single request frame of
// client.ts). A node answers the requests of such messages that are ready in the same turn together, one reply frame
// per part; a request sent alone (a one-part message) is answered alone. So batching is the client's choice, and a
// client that never batches never sees a batch. It spares a ZeroMQ message, a wake-up of each side's I/O thread and a
// turn of each side's receive loop per request when a client has many requests in flight.

/** Parts one client message (requests) or one node message (replies) may carry; a longer request message is refused. */
export const MAX_CLIENT_FRAMES_PER_MESSAGE = 256;
