// Saving a file from the renderer: a Blob behind an <a download> click. The browser and Electron both handle it
// (Electron shows its save dialog), so there is one path for both.
const REVOKE_AFTER_MS = 60_000;

export function downloadBlob(filename: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // Revoking at once can cancel the download in some browsers; the URL only pins the blob until then.
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
}

export function downloadText(filename: string, text: string, type = 'application/x-ndjson'): void {
  downloadBlob(filename, new Blob([text], { type }));
}

/** A file name stamp that sorts and is valid everywhere: 2025-03-01T10-00-00. */
export function fileStamp(date: Date): string {
  return date.toISOString().slice(0, 19).replace(/:/g, '-');
}
