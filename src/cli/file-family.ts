// What `raft-lab exercise` and `raft-lab demo` share: checking files, the run flags, the JSON Schema, CI's report.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { ExerciseFileError } from '../exercise/load';

/** Validates each file: exit 0 when all are valid, 2 (with file:line:column and the field on stderr) otherwise. */
export function checkFiles(files: readonly string[], load: (file: string) => unknown, out: (line: string) => void): number {
  let failed = false;
  for (const file of files) {
    try {
      load(file);
      out(`${file}: valid`);
    } catch (error) {
      failed = true;
      process.stderr.write(`${error instanceof ExerciseFileError ? error.message : `${file}: ${String(error)}`}\n`);
    }
  }
  return failed ? 2 : 0;
}

/** The schema as JSON Schema, for editors (YAML language servers read it). */
export function printSchema(schema: z.ZodType, out: (line: string) => void): void {
  out(JSON.stringify(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }), null, 2));
}

/** For CI's one summary line (scripts/ci-summary.mjs), beside Vitest's and Playwright's reports. */
export function writeReport(file: string | undefined, passed: number, failed: number): void {
  if (file === undefined) return;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ passed, failed }));
}
