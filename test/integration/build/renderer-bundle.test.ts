// The app's renderer build (out/renderer, what Electron and web mode serve) carries no benchmark code: the synthetic
// lab of `npm run bench:ui` (test/bench/bench-lab-api.ts) is built into the benchmark's own renderer only.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const ASSETS = join(ROOT, 'out', 'renderer', 'assets');
/** Text that only the bench lab holds (its refusal of exercises), so finding it means the module was bundled. */
const BENCH_ONLY_TEXT = 'in the benchmark lab';

describe('the production renderer bundle', () => {
  it('holds none of the renderer benchmark\'s synthetic lab', () => {
    expect(readFileSync(join(ROOT, 'test', 'bench', 'bench-lab-api.ts'), 'utf8'), 'the marker is still in the bench lab').toContain(BENCH_ONLY_TEXT);
    expect(existsSync(ASSETS), 'the renderer is built (npm run build)').toBe(true);
    const scripts = readdirSync(ASSETS).filter((name) => name.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    for (const name of scripts) {
      const code = readFileSync(join(ASSETS, name), 'utf8');
      expect(code.includes(BENCH_ONLY_TEXT), name).toBe(false);
      expect(code.includes('createBenchLabApi'), name).toBe(false);
    }
  });
});
