// Tells the lab which frames were put on hold while the cluster is frozen, a batch per event-loop turn rather than a
// control frame per message: after a step, the lab waits until every message the step sent is held by its receiver.
const MAX_IDS_PER_REPORT = 1000;

export class HeldReporter {
  private ids: string[] = [];
  private scheduled = false;

  constructor(private readonly send: (ids: string[]) => void) {}

  add(id: string): void {
    this.ids.push(id);
    if (this.ids.length >= MAX_IDS_PER_REPORT) {
      this.flush();
      return;
    }
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    if (this.ids.length === 0) return;
    const batch = this.ids;
    this.ids = [];
    this.send(batch);
  }
}
