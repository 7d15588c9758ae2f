// Two renderer builds (or one build with two stylesheets) side by side: each in its own Chromium, fed the same synthetic
// lab, traced over the same seconds. On a virtual machine whose speed swings by a third from minute to minute, runs
// taken one after the other differ more than most changes do; two pages measured at once share the swings, so their
// ratio shows the change. USAGE below (`--help` prints it).
import { serveStatic } from './static-server';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { traceEventsOf } from './chrome-frames';
import { loadAverageText } from './load-average';
import { mainThreadFrames, mainThreadTaskCpuMs, type MainThreadEvent } from './main-thread';

const USAGE = `usage: npx tsx test/bench/renderer-ab.ts --b DIR [options]

  npx tsx test/bench/renderer-ab.ts --b ../other-tree/test-results/bench-renderer --rounds 4
  npx tsx test/bench/renderer-ab.ts --b test-results/bench-renderer --css-b '.logs-view{display:none !important}'

options:
  --a DIR             build A (default: this tree's test-results/bench-renderer; run \`npm run bench:ui -- --seconds 5\`
                      once to make it); --b DIR: build B (required; the same folder to compare two stylesheets)
  --css-a, --css-b    a stylesheet injected into that page (scoped styles win without !important)
  --rate N            synthetic events per second (default 5000); --nodes N (default 9)
  --rounds N          rounds (default 4); each round opens both pages afresh, the launch order alternating
  --warmup-seconds N  before tracing (default 12: the event window fills); --seconds N traced (default 5)
  --help              this text

Prints per round and page the main thread's CPU (ms per second of trace, and per frame), the mean CPU of its
heaviest 5% of tasks (the frames that miss a vsync) and how many tasks took over 16.7 ms of CPU; then B against A:
the median over the rounds of each ratio.`;

interface Options { a: string; b: string; cssA: string; cssB: string; rate: number; nodes: number; rounds: number; warmupSeconds: number; seconds: number }

const FRAME_BUDGET_MS = 1000 / 60;
// 'cc' holds ProxyMain::BeginMainFrame, one per frame the main thread drew.
const TRACE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel', 'cc'];

function parseOptions(argv: readonly string[]): Options | null {
  const options: Options = { a: resolve('test-results/bench-renderer'), b: '', cssA: '', cssB: '', rate: 5000, nodes: 9, rounds: 4,
    warmupSeconds: 12, seconds: 5 };
  const numbers: Readonly<Record<string, 'rate' | 'nodes' | 'rounds' | 'warmupSeconds' | 'seconds'>> = {
    '--rate': 'rate', '--nodes': 'nodes', '--rounds': 'rounds', '--warmup-seconds': 'warmupSeconds', '--seconds': 'seconds' };
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i] ?? '';
    const text = argv[i + 1];
    if (flag === '--help') return null;
    if (text === undefined) throw new Error(`${flag} needs a value`);
    const numberKey = numbers[flag];
    if (numberKey) {
      const value = Number(text);
      if (!Number.isFinite(value) || value <= 0) throw new Error(`${flag} needs a positive number, not ${text}`);
      options[numberKey] = value;
    } else if (flag === '--a') options.a = resolve(text);
    else if (flag === '--b') options.b = resolve(text);
    else if (flag === '--css-a') options.cssA = text;
    else if (flag === '--css-b') options.cssB = text;
    else throw new Error(`unknown option ${flag}`);
  }
  if (!options.b) throw new Error('--b DIR is required');
  return options;
}

interface OpenPage { readonly browser: Browser; readonly page: Page; close(): Promise<void> }

async function openPage(dist: string, css: string, options: Options): Promise<OpenPage> {
  const { server, url } = await serveStatic(dist);
  const browser = await chromium.launch({ executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
  // The page's CSP refuses inline styles: an injected stylesheet needs it bypassed.
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, bypassCSP: css !== '' });
  await page.goto(`${url}/index.html?bench=1&rate=${options.rate}&nodes=${options.nodes}`);
  await page.waitForSelector('[data-testid="timeline"]');
  if (css) await page.addStyleTag({ content: css });
  return { browser, page, close: async () => { await browser.close(); server.close(); } };
}

interface PageFigures { readonly cpuMsPerSecond: number; readonly cpuMsPerFrame: number; readonly heaviestMeanMs: number; readonly overBudget: number }

function figuresOf(trace: Buffer, seconds: number): PageFigures {
  const events = traceEventsOf<MainThreadEvent>(trace);
  const taskMs = mainThreadTaskCpuMs(events).reverse();
  const frames = mainThreadFrames(events);
  const totalMs = taskMs.reduce((sum, value) => sum + value, 0);
  const heaviest = taskMs.slice(0, Math.max(1, Math.round(frames * 0.05)));
  return { cpuMsPerSecond: totalMs / seconds, cpuMsPerFrame: totalMs / Math.max(1, frames),
    heaviestMeanMs: heaviest.reduce((sum, value) => sum + value, 0) / heaviest.length, overBudget: taskMs.filter((value) => value > FRAME_BUDGET_MS).length };
}

function describe(figures: PageFigures): string {
  return `${figures.cpuMsPerSecond.toFixed(0)} ms CPU/s, ${figures.cpuMsPerFrame.toFixed(2)} ms/frame, heaviest 5% of frames ` +
    `${figures.heaviestMeanMs.toFixed(2)} ms, ${figures.overBudget} tasks over 16.7 ms`;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

async function round(options: Options, bFirst: boolean): Promise<{ a: PageFigures; b: PageFigures }> {
  const pages: { a?: OpenPage; b?: OpenPage } = {};
  try {
    for (const side of bFirst ? ['b', 'a'] as const : ['a', 'b'] as const) {
      pages[side] = await openPage(side === 'a' ? options.a : options.b, side === 'a' ? options.cssA : options.cssB, options);
    }
    const a = pages.a!;
    const b = pages.b!;
    await new Promise((resolveWait) => setTimeout(resolveWait, options.warmupSeconds * 1000));
    await Promise.all([a.browser.startTracing(a.page, { categories: TRACE_CATEGORIES }), b.browser.startTracing(b.page, { categories: TRACE_CATEGORIES })]);
    await new Promise((resolveWait) => setTimeout(resolveWait, options.seconds * 1000));
    const [traceA, traceB] = await Promise.all([a.browser.stopTracing(), b.browser.stopTracing()]);
    return { a: figuresOf(traceA, options.seconds), b: figuresOf(traceB, options.seconds) };
  } finally {
    await pages.a?.close();
    await pages.b?.close();
  }
}

async function main(options: Options): Promise<void> {
  console.log(`A: ${options.a}${options.cssA ? ` + ${options.cssA}` : ''}\nB: ${options.b}${options.cssB ? ` + ${options.cssB}` : ''}`);
  console.log(`${options.rate} events/s, ${options.nodes} nodes, ${options.rounds} rounds of ${options.warmupSeconds} + ${options.seconds} s, both pages at once`);
  const ratios = { cpu: [] as number[], heaviest: [] as number[] };
  for (let i = 0; i < options.rounds; i += 1) {
    const { a, b } = await round(options, i % 2 === 1);
    console.log(`round ${i + 1} (load ${loadAverageText()})\n  A ${describe(a)}\n  B ${describe(b)}`);
    ratios.cpu.push(b.cpuMsPerSecond / a.cpuMsPerSecond);
    ratios.heaviest.push(b.heaviestMeanMs / a.heaviestMeanMs);
  }
  console.log(`B/A, median of ${options.rounds} rounds: main-thread CPU ${median(ratios.cpu).toFixed(3)}, heaviest 5% of frames ` +
    `${median(ratios.heaviest).toFixed(3)} (below 1: B does less)`);
}

try {
  const options = parseOptions(process.argv.slice(2));
  if (options === null) console.log(USAGE);
  else await main(options);
} catch (error: unknown) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
