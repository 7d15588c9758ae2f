/**
 * A damaged record with intact records after it: not a torn tail a crash could leave, so dropping it (and everything
 * after) could lose committed entries. Opening refuses and leaves the file exactly as it found it.
 */
export class WalCorruptionError extends Error {
  override readonly name = 'WalCorruptionError';

  constructor(
    readonly path: string,
    readonly offset: number,
    readonly reason: string,
  ) {
    super(
      `WAL corruption in ${path} at byte offset ${offset}: ${reason}. ` +
        'Intact data follows, so this is not a torn tail; the file was left untouched.',
    );
  }
}
