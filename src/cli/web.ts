// `raft-lab web [--port P] [--nodes N] [--record FILE] [--bugs a,b]`: the lab with its UI served on 127.0.0.1, a 3-node
// cluster started (with the planted bugs switched on, for exercises and tests).
import { LabController } from '../lab/controller';
import { TEACHING_SETTINGS } from '../protocol/lab-api';
import { installShutdownHooks } from '../lab/shutdown-hooks';
import { EventRecorder } from '../lab/recorder';
import { startWebServer } from '../web/server';
import { parseFlags, UsageError } from './args';
import { bugsFlag } from './bugs-flag';
import { findRendererDir } from './paths';

export async function runWebCommand(argv: readonly string[]): Promise<number> {
  const { flags, positional } = parseFlags(argv, { port: 'number', nodes: 'number', record: 'string', bugs: 'string' });
  if (positional.length > 0) throw new UsageError(`unexpected argument: ${positional[0]}`);
  const port = flags.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be 0..65535');
  const controller = await LabController.create({ initialSettings: { ...TEACHING_SETTINGS, bugs: bugsFlag(flags.bugs) } });
  const server = await startWebServer({ controller, rendererDir: findRendererDir(), port });
  const recorder = flags.record ? new EventRecorder(flags.record, controller.events) : null;
  installShutdownHooks(async () => {
    await server.close();
    await controller.close();
    await recorder?.close();
  }, () => controller.killAllNow());
  if (recorder) process.stdout.write(`recording every event to ${recorder.path}\n`);
  process.stdout.write(`Raft Lab web mode: ${server.url}\n`);
  const snapshot = await controller.startCluster({ nodeCount: flags.nodes ?? 3 });
  process.stdout.write(`cluster running: ${snapshot.nodes.map((node) => `S${node.id} pid ${String(node.pid)}`).join(', ')}\n`);
  return new Promise<number>(() => undefined); // serve until a signal ends the process
}
