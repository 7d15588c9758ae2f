// Reads an exercise (or demo) file: YAML parsed by a real YAML library, validated by the one schema
// (src/protocol/exercise/schema.ts). Every problem is reported as `file:line:column: field: message`, so an author
// finds it at once; a file with any problem is refused whole.
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import { z } from 'zod';
import { demoSchema, exerciseSchema, type Demo, type Exercise } from '../protocol/exercise/schema';

/** Exercise files are small; anything larger is a mistake (or not an exercise). */
const MAX_FILE_BYTES = 256 * 1024;
const MAX_PROBLEMS = 12;

export class ExerciseFileError extends Error {
  override readonly name = 'ExerciseFileError';
  constructor(readonly file: string, readonly problems: readonly string[]) {
    super(problems.join('\n'));
  }
}

export function loadExerciseFile(file: string): Exercise {
  return parseExercise(readFamilyFile(file), file);
}

export function loadDemoFile(file: string): Demo {
  return parseDemo(readFamilyFile(file), file);
}

function readFamilyFile(file: string): string {
  let text: string;
  try {
    const bytes = readFileSync(file);
    if (bytes.byteLength > MAX_FILE_BYTES) throw new ExerciseFileError(file, [`${file}: ${bytes.byteLength} bytes; an exercise file is at most ${MAX_FILE_BYTES}`]);
    text = bytes.toString('utf8');
  } catch (error) {
    if (error instanceof ExerciseFileError) throw error;
    throw new ExerciseFileError(file, [`${file}: cannot read: ${error instanceof Error ? error.message : String(error)}`]);
  }
  return text;
}

export function parseExercise(text: string, file: string): Exercise {
  return parseWithSchema(text, file, exerciseSchema);
}

export function parseDemo(text: string, file: string): Demo {
  return parseWithSchema(text, file, demoSchema);
}

function parseWithSchema<T>(text: string, file: string, schema: z.ZodType<T>): T {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number): string => {
    const { line, col } = lines.linePos(offset);
    return `${file}:${line}:${col}`;
  };
  if (document.errors.length > 0) {
    throw new ExerciseFileError(file, document.errors.slice(0, MAX_PROBLEMS).map((error) => `${at(error.pos[0])}: ${error.message.split('\n')[0] ?? 'YAML error'}`));
  }
  const parsed = schema.safeParse(document.toJS({ maxAliasCount: 50 }));
  if (parsed.success) return parsed.data;
  throw new ExerciseFileError(file, issuesWithLines(parsed.error, document, at));
}

function issuesWithLines(error: z.ZodError, document: Document, at: (offset: number) => string): string[] {
  return error.issues.slice(0, MAX_PROBLEMS).map((outer) => {
    const issue = explainUnion(outer);
    const path = issue.path.map(String);
    const field = path.length > 0 ? path.join('.') : '(file)';
    return `${at(offsetOf(document, issue.path as (string | number)[]))}: ${field}: ${messageOf(issue)}`;
  });
}

/** Where the deepest existing node on `path` starts (an unknown key's issue points at its parent object). */
function offsetOf(document: Document, path: readonly (string | number)[]): number {
  for (let length = path.length; length >= 0; length -= 1) {
    const node = length === 0 ? document.contents : document.getIn(path.slice(0, length), true);
    if (isNode(node) && node.range) return node.range[0];
  }
  return 0;
}

/**
 * A condition or an action is a union of one-key forms: when the key was right but its contents were not, report the
 * problem inside that form ("goal.leader: unknown key nod") rather than "matches no form".
 */
function explainUnion(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  if (issue.code !== 'invalid_union' || issue.errors.length === 0) return issue;
  const rootKeyRejected = (branch: readonly z.core.$ZodIssue[]): boolean =>
    branch.some((inner) => inner.path.length === 0 && (inner.code === 'unrecognized_keys' || inner.code === 'invalid_type'));
  const matching = issue.errors.filter((branch) => branch.length > 0 && !rootKeyRejected(branch));
  const [inner] = matching.length === 1 ? (matching[0] as z.core.$ZodIssue[]) : [];
  return inner ? explainUnion({ ...inner, path: [...issue.path, ...inner.path] }) : issue;
}

function messageOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `"${key}"`).join(', ')}`;
  if (issue.code === 'invalid_union') return 'not one of the allowed forms (see `raft-lab exercise schema`)';
  return issue.message;
}
