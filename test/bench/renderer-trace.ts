// Where a frame's time goes: records a Chromium trace of the bench page (renderer-bench's in-page bench lab, 2,000
// events/s, 9 nodes) after a warm-up, and prints per thread the busiest trace events (total thread CPU ms per second of
// trace), so a change can be aimed at what is actually slow (script, style, layout, paint, raster).
//
//   npx tsx test/bench/renderer-trace.ts                        # reuses test-results/bench-renderer (run bench:ui once)
//   options: --warmup-seconds N (default 15), --seconds N (default 5), --rate N (events/s; --events-per-second N is the
//            same), --nodes N, --css 'STYLE', --top N (rows per thread), --out FILE (keep the raw trace for
//            chrome://tracing), --dist DIR (trace a renderer built elsewhere, e.g. the baseline's test-results/bench-renderer),
//            --cpu (a V8 CPU profile instead: JS functions by self and inclusive time), --virtual-time (1/60 s per
//            frame in the page, see virtual-time.ts: each frame does an idle machine's work whatever the load),
//            --vue (Vue's own timings instead: builds this tree's renderer in development mode, sets the app's
//            config.performance and prints each component's render, patch and mount time per animation frame;
//            wall time, so compare shares, not loads), --invalidations (also record which element and which change
//            made each layout necessary, and print the most frequent: element, reason, the JS function that did it;
//            tracing them slows the page, so take CPU figures from a run without it)
// The trace's summary starts with the main thread's tasks by CPU time (not wall time: on a busy machine a task's wall
// time is mostly waiting for a core): a task over 16.7 ms of CPU is a dropped frame whatever the load.
import { serveStatic } from './static-server';
import { INSTALL_VIRTUAL_TIME } from './virtual-time';
import { existsSync, writeFileSync } from 'node:fs';
import { loadAverageText } from './load-average';
import { mainThreadFrames, mainThreadTaskCpuMs } from './main-thread';
import { join, resolve } from 'node:path';
import { chromium, type Page } from '@playwright/test';

const ROOT = resolve('test-results/bench-renderer');
const VUE_ROOT = resolve('test-results/bench-renderer-vue');
const CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel', 'v8.execute', 'blink', 'cc',
  'viz', 'disabled-by-default-devtools.timeline.frame', 'disabled-by-default-devtools.timeline.stack'];

/** Which element and which change made a style recalculation or a layout necessary (--invalidations). */
const INVALIDATION_CATEGORY = 'disabled-by-default-devtools.timeline.invalidationTracking';

interface Options { warmupSeconds: number; seconds: number; rate: number; nodes: number; css: string; top: number; out: string; cpu: boolean; dist: string; virtualTime: boolean;
  vue: boolean; invalidations: boolean }

function parseOptions(argv: readonly string[]): Options {
  const options: Options = { warmupSeconds: 15, seconds: 5, rate: 2000, nodes: 9, css: '', top: 14, out: '', cpu: false, dist: '', virtualTime: false,
    vue: false, invalidations: false };
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i];
    const text = argv[i + 1] ?? '';
    if (flag === '--cpu') {
      // A V8 CPU profile instead of a trace: JS functions by self time.
      options.cpu = true;
      i -= 1;
    } else if (flag === '--virtual-time') {
      options.virtualTime = true;
      i -= 1;
    } else if (flag === '--vue') {
      options.vue = true;
      i -= 1;
    } else if (flag === '--invalidations') {
      options.invalidations = true;
      i -= 1;
    } else if (flag === '--css') options.css = text;
    else if (flag === '--out') options.out = text;
    else if (flag === '--warmup-seconds') options.warmupSeconds = Number(text);
    else if (flag === '--seconds') options.seconds = Number(text);
    else if (flag === '--rate' || flag === '--events-per-second') options.rate = Number(text);
    else if (flag === '--dist') options.dist = resolve(text);
    else if (flag === '--nodes') options.nodes = Number(text);
    else if (flag === '--top') options.top = Number(text);
    else throw new Error(`unknown option ${flag}`);
  }
  return options;
}

interface TraceEvent { readonly name: string; readonly ph: string; readonly pid: number; readonly tid: number; readonly dur?: number; readonly tdur?: number;
  readonly args?: { readonly name?: string; readonly data?: InvalidationData } }

/** A LayoutInvalidationTracking event's data (--invalidations). */
interface InvalidationData { readonly nodeName?: string; readonly reason?: string; readonly stackTrace?: readonly { readonly functionName: string }[] }

/** The renderer main thread's tasks by thread CPU time: what a frame costs, whatever else competes for the cores. */
function summarizeMainTasks(events: readonly TraceEvent[], seconds: number): void {
  const cpuMs = mainThreadTaskCpuMs(events);
  const at = (share: number): string => (cpuMs[Math.min(cpuMs.length - 1, Math.floor(share * cpuMs.length))] ?? NaN).toFixed(1);
  const totalMs = cpuMs.reduce((sum, value) => sum + value, 0);
  const over = cpuMs.filter((value) => value > 1000 / 60);
  console.log(`main thread: ${(totalMs / seconds).toFixed(0)} ms CPU per second in ${(cpuMs.length / seconds).toFixed(0)} tasks/s; ` +
    `task CPU p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms; ${(over.length / seconds).toFixed(1)} tasks/s over 16.7 ms CPU ` +
    `(the heaviest: ${over.slice(-8).map((value) => value.toFixed(0)).join(', ') || 'none'})`);
}

function summarize(events: readonly TraceEvent[], seconds: number, top: number): void {
  const threadNames = new Map<string, string>();
  for (const event of events) {
    if (event.ph === 'M' && event.name === 'thread_name') threadNames.set(`${event.pid}:${event.tid}`, event.args?.name ?? '?');
  }
  const byThread = new Map<string, Map<string, number>>();
  console.log(`main frames: ${(mainThreadFrames(events) / seconds).toFixed(1)} per second`);
  summarizeMainTasks(events, seconds);
  for (const event of events) {
    if (event.ph !== 'X' || event.dur === undefined) continue;
    const thread = threadNames.get(`${event.pid}:${event.tid}`) ?? `${event.pid}:${event.tid}`;
    let names = byThread.get(thread);
    if (!names) byThread.set(thread, names = new Map());
    // Thread CPU time where the trace has it (a busy machine's wall times are mostly waiting for a core).
    names.set(event.name, (names.get(event.name) ?? 0) + (event.tdur ?? event.dur) / 1000);
  }
  for (const [thread, names] of byThread) {
    const rows = [...names].sort((a, b) => b[1] - a[1]).slice(0, top);
    if ((rows[0]?.[1] ?? 0) / seconds < 5) continue;
    console.log(`\n${thread} (CPU ms per second, nested events overlap)`);
    for (const [name, totalMs] of rows) console.log(`  ${(totalMs / seconds).toFixed(1).padStart(7)}  ${name}`);
  }
}

/** Layout invalidations by element, reason and the script function that caused them (none: the browser's own, in a layout). */
function summarizeInvalidations(events: readonly TraceEvent[], seconds: number, top: number): void {
  const counts = new Map<string, number>();
  for (const event of events) {
    if (event.name !== 'LayoutInvalidationTracking') continue;
    const data = event.args?.data;
    const key = `${data?.nodeName ?? '?'}: ${data?.reason ?? '?'} (${data?.stackTrace?.[0]?.functionName || 'no script'})`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  console.log('\nlayout invalidations per second: element: reason (function)');
  for (const [key, count] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${(count / seconds).toFixed(1).padStart(7)}  ${key}`);
}

interface ProfileNode { readonly id: number; readonly children?: readonly number[]; readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number; readonly columnNumber: number } }
interface CpuProfile { readonly nodes: readonly ProfileNode[]; readonly samples?: readonly number[]; readonly timeDeltas?: readonly number[] }

function summarizeProfile(profile: CpuProfile, seconds: number, top: number): void {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i += 1) {
    const frame = byId.get(samples[i] as number)?.callFrame;
    if (!frame) continue;
    const key = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop() ?? ''}:${frame.lineNumber + 1}:${frame.columnNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (deltas[i + 1] ?? 0) / 1000);
  }
  // Inclusive time: a function's own samples and those of everything it called (counted once per stack).
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const inclusive = new Map<string, number>();
  for (let i = 0; i < samples.length; i += 1) {
    const seen = new Set<string>();
    for (let id: number | undefined = samples[i]; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id)?.callFrame;
      if (!frame || !frame.url) continue;
      const key = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop() ?? ''}:${frame.lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + (deltas[i + 1] ?? 0) / 1000);
    }
  }
  console.log('JS inclusive time, ms per second');
  for (const [key, totalMs] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${(totalMs / seconds).toFixed(1).padStart(7)}  ${key}`);
  console.log('JS self time, ms per second');
  for (const [key, totalMs] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${(totalMs / seconds).toFixed(1).padStart(7)}  ${key}`);
}

/** The renderer in Vue's development mode (component timings need it), with the bench lab, into its own folder. */
async function buildDevelopmentRenderer(): Promise<string> {
  const { build } = await import('vite');
  const { default: vue } = await import('@vitejs/plugin-vue');
  await build({ root: resolve('renderer'), mode: 'development', configFile: false, plugins: [vue()], logLevel: 'warn',
    define: { __RAFT_LAB_BENCH__: 'true', 'process.env.NODE_ENV': '"development"' },
    build: { outDir: VUE_ROOT, emptyOutDir: true, minify: false } });
  return VUE_ROOT;
}

// In-page: Vue measures each component's render/patch/mount with performance.measure (and clears them at once), so
// an observer sums them; animation frames are counted alongside.
const START_VUE_TIMINGS = `(() => {
  const app = document.querySelector('#app').__vue_app__;
  app.config.performance = true;
  const state = { totals: {}, frames: 0 };
  globalThis.__benchVue = state;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) state.totals[entry.name] = (state.totals[entry.name] ?? 0) + entry.duration;
  }).observe({ type: 'measure' });
  const frame = globalThis.__benchRealFrame ?? requestAnimationFrame.bind(window);
  const count = () => { state.frames += 1; frame(count); };
  frame(count);
})()`;

async function vueTimings(page: Page, options: Options): Promise<void> {
  await page.evaluate(START_VUE_TIMINGS);
  await page.waitForTimeout(options.seconds * 1000);
  const { totals, frames } = await page.evaluate('globalThis.__benchVue') as { totals: Record<string, number>; frames: number };
  console.log(`Vue component timings (development build, wall ms per animation frame; ${frames} frames in ${options.seconds} s; ` +
    `load average ${loadAverageText()}); a parent's patch includes its children's`);
  for (const [name, totalMs] of Object.entries(totals).sort((a, b) => b[1] - a[1]).slice(0, options.top)) {
    console.log(`  ${(totalMs / Math.max(1, frames)).toFixed(3).padStart(7)}  ${name}`);
  }
}

async function main(options: Options): Promise<void> {
  if (options.vue && options.dist) throw new Error('--vue builds this tree in development mode: it takes no --dist');
  const root = options.vue ? await buildDevelopmentRenderer() : options.dist || ROOT;
  if (!existsSync(join(root, 'index.html'))) throw new Error(`no build in ${root}: run \`npm run bench:ui -- --seconds 10\` once first`);
  const { server, url } = await serveStatic(root);
  const browser = await chromium.launch({ executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--no-first-run', '--disable-quic'] });
  try {
    // The page's CSP refuses inline styles: a diagnostic stylesheet (--css) needs it bypassed.
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, bypassCSP: options.css !== '' });
    page.on('pageerror', (error) => console.log(`page error: ${error.message}`));
    if (options.virtualTime) await page.addInitScript(INSTALL_VIRTUAL_TIME);
    await page.goto(`${url}/index.html?bench=1&rate=${options.rate}&nodes=${options.nodes}`);
    await page.waitForSelector('[data-testid="timeline"]');
    if (options.css) await page.addStyleTag({ content: options.css });
    await page.waitForTimeout(options.warmupSeconds * 1000);
    if (options.vue) {
      await vueTimings(page, options);
      return;
    }
    if (options.cpu) {
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
      await page.waitForTimeout(options.seconds * 1000);
      const { profile } = await cdp.send('Profiler.stop');
      summarizeProfile(profile, options.seconds, options.top);
      return;
    }
    await browser.startTracing(page, { categories: options.invalidations ? [...CATEGORIES, INVALIDATION_CATEGORY] : CATEGORIES });
    await page.waitForTimeout(options.seconds * 1000);
    const buffer = await browser.stopTracing();
    if (options.out) writeFileSync(options.out, buffer);
    const parsed = JSON.parse(buffer.toString('utf8')) as { traceEvents: TraceEvent[] };
    console.log(`load average ${loadAverageText()}`);
    summarize(parsed.traceEvents, options.seconds, options.top);
    if (options.invalidations) summarizeInvalidations(parsed.traceEvents, options.seconds, options.top * 2);
  } finally {
    await browser.close();
    server.close();
  }
}

main(parseOptions(process.argv.slice(2))).catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(2);
});
