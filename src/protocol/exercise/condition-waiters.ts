// Waiting for a condition over state that changes only when events arrive: whoever folds the events in calls
// notify(), and each waiter checks its condition then. Shared by the headless runners and the app, each with a deadline.
export class ConditionWaiters {
  private readonly waiters = new Set<() => void>();

  /** Resolves once `holds()` is true (checked now and at every notify), or rejects after limitMs. */
  until(holds: () => boolean, limitMs: number, what: string): Promise<void> {
    if (holds()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!holds()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`timed out after ${Math.round(limitMs)} ms waiting for ${what}`));
      }, limitMs);
      this.waiters.add(check);
    });
  }

  /** Resolves at the next notify, or after limitMs whatever happens (never rejects). */
  next(limitMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, limitMs);
      this.waiters.add(done);
    });
  }

  /** The state changed: every waiter looks again. */
  notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
