// Entry point of one Raft node process. Started by the lab (never by hand): it reads who it is from the
// environment, binds its peer socket on loopback, reports to the lab, and exits when the lab is gone.
import * as zmq from 'zeromq';
import { readNodeEnvironment } from './node-env';
import { connectLabLink } from './lab-link';
import { watchParent } from './parent-watch';
import { monotonicNowNs } from './clock';
import { CONTROL_PROTOCOL_VERSION } from '../protocol/control';

async function main(): Promise<void> {
  const env = readNodeEnvironment(process.env);
  const peerSocket = new zmq.Router({ linger: 0, maxMessageSize: 4 * 1024 * 1024 });
  await peerSocket.bind('tcp://127.0.0.1:*');
  const peerEndpoint = peerSocket.lastEndpoint ?? '';

  const exit = (code: number, why: string): never => {
    process.stderr.write(`raft node ${env.nodeId}: exiting: ${why}\n`);
    process.exit(code);
  };
  watchParent((why) => exit(0, why));

  const link = await connectLabLink({
    endpoint: env.controlEndpoint,
    nodeId: env.nodeId,
    secret: env.secret,
    onFrame: (frame) => {
      if (frame.type === 'shutdown') exit(0, 'the lab asked us to stop');
    },
    onInvalidFrame: (error) => process.stderr.write(`raft node ${env.nodeId}: rejected control frame: ${error}\n`),
  });
  link.send({
    v: CONTROL_PROTOCOL_VERSION,
    secret: env.secret,
    type: 'hello',
    node: env.nodeId,
    pid: process.pid,
    peerEndpoint,
    atNs: monotonicNowNs(),
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`raft node: fatal: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
