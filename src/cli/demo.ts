// `raft-lab demo list [--json] | check FILE... | run ID|FILE...|--all [--report FILE] | schema`: the classroom demos.
// `run` plays a demo headless on real processes, as an instructor pressing Next would, and checks that every
// `until:` is reached (exit 0), else names the step (exit 1).
import { findDemo, loadDemos } from '../exercise/catalog';
import { loadDemoFile } from '../exercise/load';
import { runDemo } from '../exercise/demo-runner';
import { demoSchema, summarizeDemo, type Demo } from '../protocol/exercise/schema';
import { formatCommandHelp } from './command-spec';
import { checkFiles, printSchema, writeReport } from './file-family';
import { parseFamilyOptions } from './options/file-family';

export async function runDemoCommand(argv: readonly string[]): Promise<number> {
  const commandLine = parseFamilyOptions('demo', argv);
  const out = (line: string): void => void process.stdout.write(`${line}\n`);
  switch (commandLine.verb) {
    case 'help':
      process.stdout.write(formatCommandHelp(commandLine.spec));
      return 0;
    case 'list': {
      const items = loadDemos().map(summarizeDemo);
      if (commandLine.json) out(JSON.stringify(items));
      else for (const item of items) out(`${item.id.padEnd(26)} ${String(item.minutes).padStart(3)} min  ${item.title}`);
      return 0;
    }
    case 'check':
      return checkFiles(commandLine.files, loadDemoFile, out);
    case 'schema':
      printSchema(demoSchema, out);
      return 0;
    case 'run': {
      const run = commandLine;
      let demos: Demo[];
      try {
        demos = run.all ? loadDemos() : run.names.map((name) => findDemo(name));
      } catch (error) {
        process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
        return 2;
      }
      let failures = 0;
      for (const demo of demos) {
        const outcome = await runDemo(demo, out);
        if (outcome.passed || !outcome.failure) continue;
        failures += 1;
        out(`${demo.id}: step "${outcome.failure.step}" failed: ${outcome.failure.error}`);
        out('  last relevant events:');
        for (const line of outcome.failure.lastEvents) out(`    ${line}`);
      }
      out(`${demos.length - failures} passed, ${failures} failed`);
      writeReport(run.report, demos.length - failures, failures);
      return failures === 0 ? 0 : 1;
    }
  }
}
