// "My own (choose an executable)" in the desktop app: the renderer asks main to show the native open dialog for a
// student's Raft node; main answers with the path chosen. Both directions are checked here: the request carries
// nothing (a page cannot steer the dialog), and an answer is an absolute path of sane length or nothing.
import { z } from 'zod';

/** Paths longer than this are no executable a student picked (Linux's PATH_MAX is 4096). */
export const MAX_EXECUTABLE_PATH_CHARS = 4096;

export const executablePickRequestSchema = z.strictObject({});

export type ExecutablePickResult = { readonly chosen: true; readonly path: string } | { readonly chosen: false };

/** An absolute path (POSIX or Windows), without NUL or line breaks (it becomes argv[0] of every node). */
export const executablePathSchema = z.string().min(1).max(MAX_EXECUTABLE_PATH_CHARS)
  .refine((path) => !/[\0\r\n]/.test(path), 'the path must not hold NUL or line breaks')
  .refine((path) => path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\'), 'the path must be absolute');

/** Main's check of the renderer's request: null when fine, else one sentence (nothing is shown). */
export function executablePickRequestProblem(value: unknown): string | null {
  const parsed = executablePickRequestSchema.safeParse(value);
  return parsed.success ? null : `chooseExecutable refused: ${parsed.error.issues[0]?.message ?? 'invalid request'}`;
}

/** What the open dialog returned, as an answer for the renderer (a path it cannot use is refused, not passed on). */
export function executablePickResult(dialog: { readonly canceled: boolean; readonly filePaths: readonly string[] }): ExecutablePickResult {
  const path = dialog.filePaths[0];
  if (dialog.canceled || path === undefined) return { chosen: false };
  const checked = executablePathSchema.safeParse(path);
  if (!checked.success) throw new Error(`chooseExecutable: the chosen path cannot be used: ${checked.error.issues[0]?.message ?? 'invalid'}`);
  return { chosen: true, path: checked.data };
}
