// A class handout saved as PDF by the desktop app: the renderer hands the main process the handout's self-contained
// HTML and a file name over IPC; main prints it to PDF and asks where to save it. Main validates the request here
// before it opens anything: a bad one is refused with this module's sentence and nothing happens.
import { z } from 'zod';

/** A handout with a large timeline is well under this; more is not a handout. */
export const MAX_REPORT_HTML_CHARS = 8 * 1024 * 1024;

/** What run-report.ts writes first: the page main renders must be a handout, not whatever a caller sends. */
export const REPORT_HTML_PREFIX = '<!doctype html>';

export const reportPdfRequestSchema = z.strictObject({
  html: z.string().max(MAX_REPORT_HTML_CHARS, `a handout is at most ${MAX_REPORT_HTML_CHARS} characters`)
    .refine((html) => html.startsWith(REPORT_HTML_PREFIX), 'the handout must be a whole HTML document'),
  /** A suggestion for the save dialog: a plain name (no folder), ending in .pdf. */
  fileName: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,119}\.pdf$/, 'the file name must be a plain name ending in .pdf'),
});
export type ReportPdfRequest = z.infer<typeof reportPdfRequestSchema>;

/** `saved: false`: the user cancelled the save dialog (not an error). */
export type ReportPdfResult = { readonly saved: true; readonly fileName: string } | { readonly saved: false };

/** The request, or one sentence that says what is wrong with it. */
export function parseReportPdfRequest(value: unknown): { ok: true; value: ReportPdfRequest } | { ok: false; error: string } {
  const parsed = reportPdfRequestSchema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return { ok: false, error: `saveReportPdf refused: ${where}${issue?.message ?? 'invalid request'}` };
}
