// `raft-lab exercise list [--json] | check FILE... | run ID|FILE... [--all] | schema`: the guided exercises from the
// command line. `check` validates files (exit 0 valid, 2 invalid with file:line and the field); `run` plays each
// exercise's solutions on a real cluster and checks every goal (exit 0 all achieved, 1 otherwise, naming the step,
// its goal and the last relevant events); `schema` prints the JSON Schema for editors.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { catalogFiles, findExercise, loadCatalog, type CatalogKind } from '../exercise/catalog';
import { ExerciseFileError, loadExerciseFile } from '../exercise/load';
import { runExercise } from '../exercise/runner';
import { exerciseSchema, summarizeExercise, type Exercise } from '../protocol/exercise/schema';
import { parseFlags, UsageError } from './args';

const USAGE = `usage: raft-lab exercise <list [--json] | check FILE... | run ID|FILE... [--report FILE] | run --all [--report FILE] | schema>`;

export async function runExerciseCommand(argv: readonly string[]): Promise<number> {
  return runFileFamilyCommand('exercises', argv, USAGE);
}

/** Shared by `exercise` and `demo`: the same file family, the same checks. */
export async function runFileFamilyCommand(kind: CatalogKind, argv: readonly string[], usage: string): Promise<number> {
  const [verb, ...rest] = argv;
  const out = (line: string): void => void process.stdout.write(`${line}\n`);
  switch (verb) {
    case 'list': {
      const { flags } = parseFlags(rest, { json: 'boolean' });
      const items = loadCatalog(kind).map(summarizeExercise);
      if (flags.json) out(JSON.stringify(items));
      else for (const item of items) out(`${item.id.padEnd(22)} level ${item.level}  ${String(item.minutes).padStart(3)} min  ${item.paper.padEnd(10)} ${item.title}`);
      return 0;
    }
    case 'check': {
      if (rest.length === 0) throw new UsageError(`check needs a file\n${usage}`);
      let failed = false;
      for (const file of rest) {
        try {
          loadExerciseFile(file);
          out(`${file}: valid`);
        } catch (error) {
          failed = true;
          process.stderr.write(`${error instanceof ExerciseFileError ? error.message : `${file}: ${String(error)}`}\n`);
        }
      }
      return failed ? 2 : 0;
    }
    case 'run':
      return runCommand(kind, rest, out);
    case 'schema':
      out(JSON.stringify(z.toJSONSchema(exerciseSchema, { io: 'input', unrepresentable: 'any' }), null, 2));
      return 0;
    default:
      throw new UsageError(usage);
  }
}

async function runCommand(kind: CatalogKind, argv: readonly string[], out: (line: string) => void): Promise<number> {
  const { flags, positional } = parseFlags(argv, { all: 'boolean', report: 'string' });
  if (!flags.all && positional.length === 0) throw new UsageError('run needs an id, a file, or --all');
  let exercises: Exercise[];
  try {
    exercises = flags.all ? catalogFiles(kind).map((file) => loadExerciseFile(file)) : positional.map((name) => findExercise(name, kind));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  let failures = 0;
  for (const exercise of exercises) {
    const outcome = await runExercise(exercise, out);
    if (outcome.achieved) continue;
    failures += 1;
    const failed = outcome.steps.find((step) => !step.achieved);
    if (failed) {
      out(`${exercise.id}: step "${failed.id}" not achieved: ${failed.goal}`);
      out(`  why: ${failed.error ?? 'unknown'}`);
      out('  last relevant events:');
      for (const line of failed.lastEvents) out(`    ${line}`);
    }
  }
  out(`${exercises.length - failures} passed, ${failures} failed`);
  // For CI's one summary line (scripts/ci-summary.mjs), beside Vitest's and Playwright's reports.
  if (flags.report) {
    mkdirSync(dirname(flags.report), { recursive: true });
    writeFileSync(flags.report, JSON.stringify({ passed: exercises.length - failures, failed: failures }));
  }
  return failures === 0 ? 0 : 1;
}
