// Handouts on their way to PDF, held in memory while a hidden window prints them: served at raft-lab://report/<id>
// (app-protocol.ts) and forgotten as soon as the print is done. Bounded: one handout at a time.
import { randomUUID } from 'node:crypto';

export class ReportPages {
  private held: { readonly url: string; readonly html: string } | null = null;

  constructor(private readonly origin: string) {}

  /** The URL the handout is served at, or null while another one is being printed. */
  hold(html: string): string | null {
    if (this.held !== null) return null;
    const url = `${this.origin}/${randomUUID()}.html`;
    this.held = { url, html };
    return url;
  }

  get(url: string): string | null {
    return this.held?.url === url ? this.held.html : null;
  }

  release(url: string): void {
    if (this.held?.url === url) this.held = null;
  }
}
