// Bundles the two Node entry points that run outside Electron's own bundles: the node process (started once per
// Raft node, so it must start fast) and the CLI. Native and heavy packages stay external.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  external: ['zeromq', 'ws', 'zod'],
  logLevel: 'warning',
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
};

await Promise.all([
  build({ ...common, entryPoints: ['src/node/main.ts'], outfile: 'out/node/raft-node.js' }),
  build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: 'out/cli/raft-lab.js' }),
]);
