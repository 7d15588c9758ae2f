// `npm start`: the desktop app where Electron can run; otherwise one clear line and web mode instead.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function electronBinary() {
  try {
    const binary = require('electron'); // the path of the binary; throws when it was never downloaded
    return typeof binary === 'string' ? { binary } : { error: 'the electron package did not give a binary path' };
  } catch (error) {
    return { error: error instanceof Error ? error.message.split('\n')[0] : String(error) };
  }
}

function run(command, args, env = process.env) {
  const child = spawn(command, args, { stdio: 'inherit', env });
  const forward = (signal) => child.kill(signal);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, forward);
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const found = electronBinary();
if (found.binary) {
  run(found.binary, ['.']);
} else {
  process.stdout.write(`Electron cannot be loaded here (${found.error}); starting web mode instead.\n`);
  run(process.execPath, ['bin/raft-lab.js', 'web', ...process.argv.slice(2)]);
}
