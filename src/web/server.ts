// Web mode: the renderer and the LabApi served on 127.0.0.1 only. Used where Electron cannot run, on a projector
// from a browser, and by the Playwright suite.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { LabController } from '../lab/controller';
import { MAX_BRIDGE_FRAME_BYTES } from '../protocol/bridge-frames';
import { serveStatic } from './static-files';
import { isAllowedUpgrade, serveLabSocket } from './lab-socket';

export interface WebServer {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

export async function startWebServer(options: { controller: LabController; rendererDir: string; port?: number }): Promise<WebServer> {
  const token = randomBytes(18).toString('base64url');
  const server: Server = createServer((request, response) => serveStatic(options.rendererDir, request, response));
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_BRIDGE_FRAME_BYTES });
  server.on('upgrade', (request, socket, head) => {
    const allowed = isAllowedUpgrade(request, token);
    if (!allowed.ok) {
      socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\n\r\n${allowed.why}\r\n`);
      return;
    }
    sockets.handleUpgrade(request, socket, head, (client) => serveLabSocket(client, options.controller));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
