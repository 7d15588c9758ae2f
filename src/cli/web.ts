// `raft-lab web`: the lab with its UI served on 127.0.0.1, a cluster started (with the planted bugs switched on, for
// exercises and tests). Options and their checks: options/web.ts.
import { LabController } from '../lab/controller';
import { TEACHING_SETTINGS } from '../protocol/lab-api';
import { installShutdownHooks } from '../lab/shutdown-hooks';
import { EventRecorder } from '../lab/recorder';
import { startWebServer } from '../web/server';
import { formatCommandHelp } from './command-spec';
import { openInBrowser } from './open-browser';
import { parseWebOptions, webCommand } from './options/web';
import { findRendererDir } from './paths';

export async function runWebCommand(argv: readonly string[]): Promise<number> {
  const options = parseWebOptions(argv);
  if (options === 'help') {
    process.stdout.write(formatCommandHelp(webCommand));
    return 0;
  }
  const controller = await LabController.create({ initialSettings: { ...TEACHING_SETTINGS, bugs: options.bugs } });
  const server = await startWebServer({ controller, rendererDir: findRendererDir(), port: options.port });
  const recorder = options.record ? new EventRecorder(options.record, controller.events) : null;
  installShutdownHooks(async () => {
    await server.close();
    await controller.close();
    await recorder?.close();
  }, () => controller.killAllNow());
  if (recorder) process.stdout.write(`recording every event to ${recorder.path}\n`);
  process.stdout.write(`Raft Lab web mode: ${server.url}\n`);
  if (options.open) process.stdout.write(`${openInBrowser(server.url)}\n`);
  const snapshot = await controller.startCluster({ nodeCount: options.nodes });
  process.stdout.write(`cluster running: ${snapshot.nodes.map((node) => `S${node.id} pid ${String(node.pid)}`).join(', ')}\n`);
  return new Promise<number>(() => undefined); // serve until a signal ends the process
}
