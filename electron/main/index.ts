// The desktop app's entry point: the wiring (desktop-app.ts) with the real lab controller.
import { join } from 'node:path';
import { app } from 'electron';
import { LabController } from '../../src/lab/controller';
import { TEACHING_SETTINGS } from '../../src/protocol/lab-api';
import { startDesktopApp } from './desktop-app';

startDesktopApp({
  mainDir: __dirname,
  // Nodes run on Electron's own runtime (ELECTRON_RUN_AS_NODE; docs/security.md says why), so the packaged app
  // needs no Node installation.
  createLab: () => LabController.create({ initialSettings: TEACHING_SETTINGS, exercisesDir: join(app.getAppPath(), 'assets', 'exercises') }),
});
