// The renderer main thread's work in a Chromium trace: each task's thread CPU time (not wall time: on a busy machine a
// task's wall time is mostly waiting for a core, while a task over 16.7 ms of CPU is a dropped frame whatever the
// load) and the frames it began. renderer-trace.ts and renderer-ab.ts read them.

/** The fields of a trace event read here. */
export interface MainThreadEvent {
  readonly name: string;
  readonly ph: string;
  readonly pid: number;
  readonly tid: number;
  readonly tdur?: number;
  readonly args?: { readonly name?: string };
}

const MAIN_THREAD = 'CrRendererMain';

function onMainThread(events: readonly MainThreadEvent[]): (event: MainThreadEvent) => boolean {
  const threads = new Set(events.filter((event) => event.ph === 'M' && event.name === 'thread_name' && event.args?.name === MAIN_THREAD)
    .map((event) => `${event.pid}:${event.tid}`));
  return (event) => threads.has(`${event.pid}:${event.tid}`);
}

/** Each main-thread task's CPU time in ms, smallest first. */
export function mainThreadTaskCpuMs(events: readonly MainThreadEvent[]): number[] {
  const isMain = onMainThread(events);
  return events.filter((event) => event.ph === 'X' && event.name === 'ThreadControllerImpl::RunTask' && isMain(event))
    .map((event) => (event.tdur ?? 0) / 1000).sort((a, b) => a - b);
}

/** Frames the main thread began (one ProxyMain::BeginMainFrame each; the trace needs the `cc` category). */
export function mainThreadFrames(events: readonly MainThreadEvent[]): number {
  const isMain = onMainThread(events);
  return events.filter((event) => event.ph === 'X' && event.name === 'ProxyMain::BeginMainFrame' && isMain(event)).length;
}
