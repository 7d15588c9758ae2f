// `npm start`: the desktop app where Electron can run; otherwise one clear line and web mode instead, which prints its
// URL and opens it in the browser where a desktop session exists (never in CI or on a headless machine:
// src/cli/open-browser.ts decides).
import { spawn, spawnSync } from 'node:child_process';

/**
 * The electron package resolves (and on first use downloads) its binary when required. Ask in a child process so
 * that a failed download's stack trace does not bury the one line that matters.
 */
function electronBinary() {
  const probe = spawnSync(process.execPath, ['-e', "process.stdout.write(String(require('electron')))"], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (probe.status === 0 && probe.stdout) return { binary: probe.stdout };
  const reason = (probe.stderr || probe.error?.message || 'unknown error')
    .split('\n').find((line) => /Error:/.test(line))?.replace(/^.*?Error:\s*/, '') ?? 'the Electron binary is not installed';
  return { error: reason.trim() };
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
  run(process.execPath, ['bin/raft-lab.js', 'web', '--open', ...process.argv.slice(2)]);
}
