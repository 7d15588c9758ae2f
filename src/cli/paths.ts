// Where the built pieces are, whether we run from the bundle (out/cli) or from source through tsx (src/cli).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export function findRendererDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, '..', 'renderer'), resolve(here, '..', '..', 'out', 'renderer'), resolve(process.cwd(), 'out', 'renderer')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? candidates[1] ?? 'out/renderer';
}
