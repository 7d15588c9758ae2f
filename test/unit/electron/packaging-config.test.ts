// electron-builder.yml as electron-builder itself reads it (its own schema validation, the version we install), and
// the fuses docs/security.md promises: everything off that the app does not use, RunAsNode on for the node processes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
// electron-builder's own validator (app-builder-lib and builder-util come with electron-builder).
import { validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import type { Configuration } from 'app-builder-lib';

const config = parse(readFileSync(join(import.meta.dirname, '..', '..', '..', 'electron-builder.yml'), 'utf8')) as Configuration;

describe('electron-builder.yml', () => {
  it('passes electron-builder\'s own schema', async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    await expect(validateConfiguration({ ...config, electronFuses: { runAsNod: true } } as unknown as Configuration, new DebugLogger(false)))
      .rejects.toThrow(/electronFuses/);
  });

  it('flips the fuses docs/security.md lists', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: true, // the node processes (docs/security.md: why)
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
  });
});
