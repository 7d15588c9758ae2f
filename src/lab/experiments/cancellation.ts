// Cancelling a long run: every wait of an experiment races the run's AbortSignal, so Cancel returns within moments
// even in the middle of a trial; the run's own `finally` then closes its cluster (its node processes die with it).
export class ExperimentCancelled extends Error {
  constructor() {
    super('the experiment was cancelled');
  }
}

export function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new ExperimentCancelled();
}

/** The promise's outcome, or ExperimentCancelled as soon as the signal fires (the promise itself runs on, unobserved). */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(new ExperimentCancelled());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new ExperimentCancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => { signal.removeEventListener('abort', onAbort); resolve(value); },
      (error: unknown) => { signal.removeEventListener('abort', onAbort); reject(error); },
    );
  });
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const slept = new Promise<void>((resolve) => { timer = setTimeout(resolve, ms); });
  return abortable(slept, signal).finally(() => clearTimeout(timer));
}
