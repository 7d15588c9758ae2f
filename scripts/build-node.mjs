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

// The node script is minified: V8 keeps every loaded script's source in the heap (for lazy compilation), in every
// node. It holds no zod: a node checks what it receives by hand (src/protocol/check.ts), which took ~4 MB off each
// node's resident memory and the script from 380 to 168 KB (docs/benchmarks.md, "Zod out of the node process";
// test/unit/node/node-bundle.test.ts keeps it out). The relay node still parses Maelstrom messages with zod, so it
// carries zod inside it, minified, which measured 3 MB less resident at start than loading zod's own modules.
// Without keepNames: it wraps each of ~1,100 functions and classes in a call that gives it an own `name` property,
// and so a property store of its own, ~0.5 MB of live heap in every node (1 MB less resident at start). The node's
// errors carry explicit names (WalCorruptionError, KvCommandError, CheckFailure), its messages use error.message,
// and nothing of ours reads a function's name; the source maps still give the real names. (zod's own messages, in
// the relay, name a value's constructor, "expected string, received Foo": its inputs are parsed JSON and strings,
// whose constructors are built-ins and keep their names.)
//
// Nor does the relay carry zod's translated error messages: `z.locales` (~60 languages, ~280 KB of a ~640 KB script)
// comes with `import { z } from 'zod'`, but only the English ones zod configures itself are used (its schemas.js
// imports locales/en.js directly).
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
