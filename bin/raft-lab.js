#!/usr/bin/env node
// The installed `raft-lab` command: runs the bundled CLI (built by `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const bundle = fileURLToPath(new URL('../out/cli/raft-lab.js', import.meta.url));
if (!existsSync(bundle)) {
  process.stderr.write('raft-lab: not built yet; run `npm run build` in the project folder first\n');
  process.exit(2);
}
await import(pathToFileURL(bundle).href);
