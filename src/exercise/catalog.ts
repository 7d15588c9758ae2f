// The exercises (and demos) that ship with the lab: one YAML file each in assets/exercises (assets/demos), found
// beside the bundle or the source tree, validated when loaded.
import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inTeachingOrder, type Demo, type Exercise } from '../protocol/exercise/schema';
import { loadDemoFile, loadExerciseFile } from './load';

export type CatalogKind = 'exercises' | 'demos';

/** assets/<kind> of the project (from source via tsx, from out/cli, or from the working directory). */
export function catalogDir(kind: CatalogKind): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [resolve(here, '..', '..', 'assets', kind), resolve(here, '..', 'assets', kind), resolve(process.cwd(), 'assets', kind)];
  return candidates.find((dir) => existsSync(dir)) ?? (candidates[0] as string);
}

export function catalogFiles(kind: CatalogKind, dir: string = catalogDir(kind)): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((name) => name.endsWith('.yaml')).sort().map((name) => join(dir, name));
}

/** Every built-in exercise, in file order; a broken file throws (CI's `exercise check` catches it first). */
export function loadCatalog(kind: 'exercises' = 'exercises', dir?: string): Exercise[] {
  return catalogFiles(kind, dir).map((file) => loadExerciseFile(file));
}

/** Every built-in demo, in teaching order (each file's `order:`; the rest by file name). */
export function loadDemos(dir?: string): Demo[] {
  return inTeachingOrder(catalogFiles('demos', dir).map((file) => loadDemoFile(file)));
}

export function findDemo(idOrFile: string): Demo {
  if (idOrFile.endsWith('.yaml') || idOrFile.endsWith('.yml') || idOrFile.includes('/')) return loadDemoFile(idOrFile);
  const found = loadDemos().find((demo) => demo.id === idOrFile);
  if (!found) throw new Error(`no built-in demo "${idOrFile}" (see \`raft-lab demo list\`)`);
  return found;
}

/** An exercise by id (a built-in one) or by path (a file of the user's). */
export function findExercise(idOrFile: string): Exercise {
  if (idOrFile.endsWith('.yaml') || idOrFile.endsWith('.yml') || idOrFile.includes('/')) return loadExerciseFile(idOrFile);
  const file = catalogFiles('exercises').find((path) => basename(path, '.yaml') === idOrFile);
  if (file) return loadExerciseFile(file);
  const byId = loadCatalog().find((exercise) => exercise.id === idOrFile);
  if (!byId) throw new Error(`no built-in exercise "${idOrFile}" (see \`raft-lab exercise list\`)`);
  return byId;
}
