// A node process does not load zod: zod and its schemas were ~4 MB of each node's resident memory (docs/benchmarks.md,
// "Zod out of the node process"). Whatever a node decodes it checks by hand (src/protocol/check.ts and the checks
// beside each boundary's constants); the zod schemas are the lab's. This builds the node's bundle as
// scripts/build-node.mjs does and fails if zod, or any module importing it, is part of it again (or node:crypto).
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

describe('the node bundle', () => {
  it('holds no zod, no module of ours that imports it, and no node:crypto', async () => {
    const result = await build({
      entryPoints: ['src/node/main.ts'], bundle: true, platform: 'node', target: 'node20', format: 'esm', minify: true,
      external: ['zeromq'], write: false, metafile: true, outfile: 'out/node/raft-node.js', logLevel: 'silent',
    });
    const inputs = Object.entries(result.metafile.inputs);
    const zodFiles = inputs.map(([path]) => path).filter((path) => /(^|\/)node_modules\/zod\//.test(path));
    const importers = inputs.filter(([path, input]) => !path.includes('node_modules/') &&
      input.imports.some((imported) => imported.original === 'zod' || /node_modules\/zod\//.test(imported.path)))
      .map(([path]) => path);
    expect(importers, 'modules of the node bundle that import zod').toEqual([]);
    expect(zodFiles, 'zod files in the node bundle').toEqual([]);
    // Nor node:crypto: loading OpenSSL's bindings cost each node ~0.5 MB for the 48 random bits of a routing id.
    const cryptoUsers = inputs.filter(([, input]) => input.imports.some((imported) => /^(node:)?crypto$/.test(imported.path)))
      .map(([path]) => path);
    expect(cryptoUsers, 'modules of the node bundle that import node:crypto').toEqual([]);
    // The bundle's own sources must still be there (a build that found nothing would pass the checks above).
    expect(inputs.some(([path]) => path === 'src/node/main.ts')).toBe(true);
    expect(inputs.some(([path]) => path === 'src/protocol/control.ts')).toBe(true);
  }, 60_000);
});
