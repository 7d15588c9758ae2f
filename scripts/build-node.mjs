// Bundles the Node entry points that run outside Electron's own bundles: the node process (started once per
// Raft node, so it must start fast) and the CLI. Native packages stay external; the CLI also leaves out zod, ws and yaml.
import { sep } from 'node:path';
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  external: ['zeromq', 'ws', 'zod', 'yaml'],
  logLevel: 'warning',
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
};

// The node script carries zod inside it, minified: V8 keeps every loaded script's source in the heap (for lazy
// compilation), and zod's own modules are ~1.5 MB of it. Measured: 59 MB resident at start instead of 62, 2-3 MB less
// at the peak under load, and no slower start. Without keepNames: it wraps each of ~1,100 functions and classes in a
// call that gives it an own `name` property, and so a property store of its own, ~0.5 MB of live heap in every node
// (1 MB less resident at start). The node's errors carry explicit names (WalCorruptionError, KvCommandError), its
// messages use error.message, and nothing of ours reads a function's name; the source maps still give the real names.
// (zod's own messages name a value's constructor, "expected string, received Foo": node inputs are parsed JSON and
// strings, whose constructors are built-ins and keep their names.)
//
// Nor does it carry zod's translated error messages: `z.locales` (~60 languages, ~280 KB of the script's ~640 KB)
// comes with `import { z } from 'zod'`, but a node only ever uses the English ones zod configures itself (its
// schemas.js imports locales/en.js directly). The source of every loaded script stays in the heap, in every node.
const onlyEnglishZodLocales = {
  name: 'only-english-zod-locales',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      args.importer.includes(`${sep}zod${sep}`) ? { path: 'zod-locales-en-only', namespace: 'zod-locales' } : undefined);
    pluginBuild.onLoad({ filter: /.*/, namespace: 'zod-locales' }, () => ({
      contents: "export { default as en } from 'zod/v4/locales/en.js';",
      resolveDir: process.cwd(),
    }));
  },
};
// RAFT_LAB_NO_MINIFY=1 builds it readable, for CPU profiles with real function names (docs/benchmarks.md).
const nodeScript = { ...common, external: ['zeromq'], minify: !process.env.RAFT_LAB_NO_MINIFY, plugins: [onlyEnglishZodLocales] };

await Promise.all([
  build({ ...nodeScript, entryPoints: ['src/node/main.ts'], outfile: 'out/node/raft-node.js' }),
  // The relay node behind each of a student's own Raft nodes (docs/byo-raft.md).
  build({ ...nodeScript, entryPoints: ['src/node/maelstrom/relay-main.ts'], outfile: 'out/node/maelstrom-relay.js' }),
  build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: 'out/cli/raft-lab.js' }),
]);
