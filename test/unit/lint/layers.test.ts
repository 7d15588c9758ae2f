// The import table of docs/architecture.md is enforced by lint (eslint.config.js, LAYERS): an import across a line the
// table does not draw fails `npm run lint`, from any depth of a folder; the allowed ones pass.
import { readdirSync } from 'node:fs';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint();

async function layerErrors(filePath: string, specifier: string): Promise<string[]> {
  const [result] = await eslint.lintText(`import type { X } from '${specifier}';\nexport type Y = X;\n`, { filePath });
  return (result?.messages ?? []).filter((message) => message.ruleId === '@typescript-eslint/no-restricted-imports').map((message) => message.message);
}

describe('the layer table in lint', () => {
  it('refuses imports the table does not allow, naming the folder and what it may import', async () => {
    const refused: [string, string][] = [
      ['src/lab/controller-part.ts', '../node/main'],
      ['src/lab/safety/part.ts', '../../node/raft-runtime'],
      ['src/lab/part.ts', '../exercise/runner'],
      ['renderer/src/model/part.ts', '../../../src/raft/types'],
      ['renderer/src/components/cluster/part.ts', '../../../../src/lab/controller'],
      ['src/raft/part.ts', '../kv/command'],
      ['src/kv/part.ts', '../raft/types'],
      ['src/node/transport/part.ts', '../../lab/controller'],
      ['src/protocol/exercise/part.ts', '../../exercise/load'],
      ['src/protocol/part.ts', '../../src/node/main'],
      ['electron/main/part.ts', '../../src/web/server'],
      ['src/plot/part.ts', '../lab/controller'],
      ['src/runtime/part.ts', '../node/storage'],
      ['src/sim/part.ts', '../node/raft-runtime'],
    ];
    for (const [file, specifier] of refused) {
      const errors = await layerErrors(file, specifier);
      expect(errors, `${file} importing ${specifier}`).toHaveLength(1);
      expect(errors[0], file).toContain(`'${specifier}' import is restricted from being used by a pattern. ${file.split('/').slice(0, file.startsWith('src/') ? 2 : 1).join('/')} may import only `);
    }
  });

  it('allows what the table draws, and a folder\'s own modules by any path', async () => {
    const allowed: [string, string][] = [
      ['src/lab/part.ts', '../exercise/catalog'],
      ['src/lab/safety/part.ts', '../../shared/monotonic-clock'],
      ['src/lab/part.ts', '../../src/lab/controller'],
      ['renderer/src/model/part.ts', '../../../src/protocol/raft'],
      ['renderer/src/components/cluster/part.ts', '../../../../src/plot/palette'],
      ['renderer/src/model/part.ts', '../components/cluster/node-presentation'],
      ['src/protocol/exercise/part.ts', '../../raft/types'],
      ['src/node/transport/part.ts', '../../protocol/wire'],
      ['src/cli/options/part.ts', '../../../package.json'],
      ['src/raft/part.ts', './types'],
      ['src/sim/part.ts', '../runtime/ready-pipeline'],
      ['src/node/part.ts', '../runtime/ports'],
      ['src/runtime/part.ts', '../raft/types'],
    ];
    for (const [file, specifier] of allowed) expect(await layerErrors(file, specifier), `${file} importing ${specifier}`).toEqual([]);
  });

  it('covers every folder of src/ (a new folder needs its line in the table), electron/ and renderer/, at every depth', async () => {
    const folders = readdirSync('src', { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => `src/${entry.name}`);
    for (const folder of [...folders, 'electron/main', 'renderer/src']) {
      for (const file of [`${folder}/part.ts`, `${folder}/a/b/c/part.ts`]) {
        const config = (await eslint.calculateConfigForFile(file)) as { rules?: Record<string, unknown> };
        expect(config.rules?.['@typescript-eslint/no-restricted-imports'], file).toBeDefined();
      }
    }
  });
});
