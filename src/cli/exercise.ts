// `raft-lab exercise list [--json] | check FILE... | run ID|FILE... [--all] [--report FILE] | schema`: the guided
// exercises from the command line. `check` validates files (exit 0 valid, 2 invalid with file:line and the field);
// `run` plays each exercise's solutions on a real cluster and checks every goal (exit 0 all achieved, 1 otherwise,
// naming the step, its goal and the last relevant events); `schema` prints the JSON Schema for editors.
import { catalogFiles, findExercise, loadCatalog } from '../exercise/catalog';
import { loadExerciseFile } from '../exercise/load';
import { runExercise } from '../exercise/runner';
import { exerciseSchema, summarizeExercise, type Exercise } from '../protocol/exercise/schema';
import { describeFit, implementationFit } from '../protocol/exercise/implementation-fit';
import { formatCommandHelp } from './command-spec';
import { checkFiles, printSchema, writeReport } from './file-family';
import { parseFamilyOptions } from './options/file-family';

export async function runExerciseCommand(argv: readonly string[]): Promise<number> {
  const commandLine = parseFamilyOptions('exercise', argv);
  const out = (line: string): void => void process.stdout.write(`${line}\n`);
  switch (commandLine.verb) {
    case 'help':
      process.stdout.write(formatCommandHelp(commandLine.spec));
      return 0;
    case 'list': {
      if (commandLine.ownRaft) {
        const fits = loadCatalog().map((exercise) => ({ id: exercise.id, ...implementationFit(exercise) }));
        if (commandLine.json) out(JSON.stringify(fits));
        else for (const fit of fits) out(`${fit.id.padEnd(22)} ${describeFit(fit)}`);
        return 0;
      }
      const items = loadCatalog().map(summarizeExercise);
      if (commandLine.json) out(JSON.stringify(items));
      else for (const item of items) out(`${item.id.padEnd(22)} level ${item.level}  ${String(item.minutes).padStart(3)} min  ${item.paper.padEnd(10)} ${item.title}`);
      return 0;
    }
    case 'check':
      return checkFiles(commandLine.files, loadExerciseFile, out);
    case 'schema':
      printSchema(exerciseSchema, out);
      return 0;
    case 'run': {
      const run = commandLine;
      let exercises: Exercise[];
      try {
        exercises = run.all ? catalogFiles('exercises').map((file) => loadExerciseFile(file)) : run.names.map((name) => findExercise(name));
      } catch (error) {
        process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
        return 2;
      }
      let failures = 0;
      let skipped = 0;
      for (const exercise of exercises) {
        if (run.implementation !== undefined) {
          const fit = implementationFit(exercise);
          if (fit.need === 'built-in') {
            skipped += 1;
            out(`skip ${exercise.id}: ${describeFit(fit)}`);
            continue;
          }
        }
        const outcome = await runExercise(exercise, out, run.implementation);
        if (outcome.achieved) continue;
        failures += 1;
        const failed = outcome.steps.find((step) => !step.achieved);
        if (!failed) continue;
        out(`${exercise.id}: step "${failed.id}" not achieved: ${failed.goal}`);
        out(`  why: ${failed.error ?? 'unknown'}`);
        out('  last relevant events:');
        for (const line of failed.lastEvents) out(`    ${line}`);
      }
      const passed = exercises.length - failures - skipped;
      out(`${passed} passed, ${failures} failed${skipped > 0 ? `, ${skipped} skipped (they need the lab's own Raft)` : ''}`);
      writeReport(run.report, passed, failures);
      // Asked to run only exercises that cannot run on this Raft: nothing was checked, which is no success.
      if (passed + failures === 0) {
        process.stderr.write('none of these exercises runs on that Raft (see `raft-lab exercise list --own-raft`)\n');
        return 2;
      }
      return failures === 0 ? 0 : 1;
    }
  }
}
