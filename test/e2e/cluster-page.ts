// What the e2e specs do through the UI, in the UI's own terms (its public test ids), so each spec reads as a story.
import { expect, type Page, type TestInfo } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const SCREENSHOT_DIR = resolve(import.meta.dirname, '..', '..', 'docs', 'screenshots');

export interface Leader {
  readonly id: number;
  readonly term: number;
}

export interface Card extends Leader {
  readonly role: string;
  readonly status: string;
  readonly leaderId: number | null;
  readonly commit: number;
  readonly lastIndex: number;
}

/**
 * Every server's card and the seq of the newest event the cluster view draws them from, as one snapshot of the DOM
 * (role, term and indexes read together: the DOM changes under us).
 */
async function domSnapshot(page: Page): Promise<{ cards: Card[]; viewSeq: number }> {
  return page.evaluate(() => ({
    cards: [...document.querySelectorAll('[data-testid^="node-"][data-role]')].map((card) => ({
      id: Number(card.getAttribute('data-testid')?.replace('node-', '')),
      term: Number(card.getAttribute('data-term')),
      role: card.getAttribute('data-role') ?? '',
      status: card.getAttribute('data-status') ?? '',
      leaderId: card.getAttribute('data-leader') ? Number(card.getAttribute('data-leader')) : null,
      commit: Number(card.getAttribute('data-commit')),
      lastIndex: Number(card.getAttribute('data-last-index')),
    })),
    viewSeq: Number(document.querySelector('[data-testid="cluster-view"]')?.getAttribute('data-seq') ?? Number.NaN),
  }));
}

/**
 * The seq of the newest event the lab has published, asked of the lab itself on a socket of our own (with the page's
 * token): what the page shows may still lag behind it.
 */
async function labNewestSeq(page: Page): Promise<number> {
  return page.evaluate(() => new Promise<number>((resolveSeq, reject) => {
    const token = new URL(window.location.href).searchParams.get('token') ?? '';
    const socket = new WebSocket(`ws://${window.location.host}/api?token=${encodeURIComponent(token)}`);
    socket.onopen = () => socket.send(JSON.stringify({ id: 1, method: 'getSnapshot', params: [] }));
    socket.onerror = () => reject(new Error('the lab refused a socket for getSnapshot'));
    socket.onmessage = (message: MessageEvent<string>) => {
      const reply = JSON.parse(message.data) as { kind: string; id?: number; ok?: boolean; value?: { nextSeq: number }; error?: string };
      if (reply.kind !== 'result' || reply.id !== 1) return;
      socket.close();
      if (reply.ok === true && typeof reply.value?.nextSeq === 'number') resolveSeq(reply.value.nextSeq - 1);
      else reject(new Error(`getSnapshot failed: ${reply.error ?? 'no nextSeq'}`));
    };
  }));
}

/**
 * The cards of a cluster that makes no events of its own (paused, or a demo step played out) once the view draws
 * everything the lab published: the view's seq has reached the lab's newest, and the lab had nothing newer once it had
 * (a node slow to freeze may still flush a last event). A condition, not a quiet period: the page can lag behind the
 * lab by a frame or a second under load, and both passes of a demo must read the same state.
 */
export async function caughtUpCards(page: Page, timeoutMs = 15_000): Promise<Card[]> {
  let target = await labNewestSeq(page);
  let caughtUp: Card[] | null = null;
  await expect.poll(async () => {
    const snapshot = await domSnapshot(page);
    if (!(snapshot.viewSeq >= target)) return `the view draws seq ${snapshot.viewSeq}, the lab is at ${target}`;
    const newest = await labNewestSeq(page);
    if (newest !== target) {
      target = newest;
      return `the lab moved on to seq ${newest}`;
    }
    caughtUp = snapshot.cards;
    return 'caught up';
  }, { timeout: timeoutMs, message: "the view draws the lab's newest event" }).toBe('caught up');
  if (caughtUp === null) throw new Error('the view never caught up');
  return caughtUp;
}

/** Every server's card, read in one go. */
export async function cards(page: Page): Promise<Card[]> {
  return (await domSnapshot(page)).cards;
}

/**
 * A leader that has settled in: it has committed everything in its log, its own no-op included, so a majority has
 * accepted it in its term (an early leader can still lose its term to a faster candidate before that).
 */
function settled(leader: Card): boolean {
  return leader.lastIndex > 0 && leader.commit === leader.lastIndex;
}

/**
 * Opens a tool tab (`exercises-tab`, `tab-client`, ...) with the keyboard and waits until it is selected. Right after
 * the page loads the side column still grows (the Servers panel fills in as the cluster's servers appear): a click,
 * aimed at where the tab was, could land on whatever moved there (a Crash button). Enter on the focused tab cannot.
 */
export async function openTab(page: Page, testId: string): Promise<void> {
  const tab = page.getByTestId(testId);
  await tab.press('Enter');
  await expect(tab).toHaveAttribute('aria-selected', 'true');
}

/**
 * Presses the header's Start / New cluster. Over a running cluster the lab asks first (the new cluster wipes it):
 * accept. Either the question shows or the start is under way (the button disabled while it runs).
 */
export async function pressStartCluster(page: Page): Promise<void> {
  await page.getByTestId('start-cluster').click();
  const accept = page.getByTestId('confirm-accept');
  await expect(accept.or(page.locator('[data-testid="start-cluster"]:disabled')).first()).toBeVisible();
  if (await accept.isVisible()) await accept.click();
}

/** Starts an n-server cluster from the header and waits until every server runs. */
export async function startCluster(page: Page, nodeCount: number): Promise<void> {
  await page.getByTestId('cluster-size').fill(String(nodeCount));
  await pressStartCluster(page);
  await expect(page.getByTestId('cluster-phase')).toHaveText('running', { timeout: 30_000 });
  for (let id = 1; id <= nodeCount; id += 1) {
    await expect(page.getByTestId(`node-${id}`)).toHaveAttribute('data-status', 'running');
  }
  await expect(page.getByTestId(`node-${nodeCount + 1}`)).toHaveCount(0);
}

/** Every running server that shows itself as leader, with its term (read in one go: the DOM changes under us). */
export async function runningLeaders(page: Page): Promise<Leader[]> {
  return page.locator('[data-testid^="node-"][data-role="leader"][data-status="running"]').evaluateAll((cards) => cards.map((card) => ({
    id: Number(card.getAttribute('data-testid')?.replace('node-', '')),
    term: Number(card.getAttribute('data-term')),
  })));
}

/**
 * Waits until exactly one running server leads in a term above `aboveTerm` (default: any), and it is not `notId`.
 * Leaders of lower terms are allowed (an isolated old leader does not know it was replaced) only when `aboveTerm` is
 * given; otherwise there must be exactly one leader in all. Servers in `excluding` are left out altogether (one cut
 * off from the rest may still believe it leads, or campaign in ever higher terms).
 */
export async function waitForLeader(page: Page,
  options: { notId?: number; aboveTerm?: number; excluding?: readonly number[]; timeoutMs?: number } = {}): Promise<Leader> {
  let leader: Leader | null = null;
  await expect.poll(async () => {
    const all = (await cards(page)).filter((card) => !(options.excluding ?? []).includes(card.id));
    const leaders = all.filter((card) => card.role === 'leader' && card.status === 'running' && card.term > (options.aboveTerm ?? -1));
    const only = leaders.length === 1 ? leaders[0] : undefined;
    // Without aboveTerm, every running server must be in the leader's term (no election still under way elsewhere).
    const agreed = only !== undefined && (options.aboveTerm !== undefined ||
      all.every((card) => card.status !== 'running' || card.term === only.term));
    leader = only && agreed && settled(only) && only.id !== options.notId ? { id: only.id, term: only.term } : null;
    return leader !== null;
  }, { timeout: options.timeoutMs ?? 20_000, message: 'exactly one settled leader' }).toBe(true);
  if (leader === null) throw new Error('no leader');
  return leader;
}

/** The one settled leader of a set of cards read together, every running server in its term; else null. */
function agreedLeader(all: readonly Card[]): Leader | null {
  const leaders = all.filter((card) => card.role === 'leader' && card.status === 'running');
  const only = leaders.length === 1 ? leaders[0] : undefined;
  if (only === undefined || !settled(only) || !all.every((card) => card.status !== 'running' || card.term === only.term)) return null;
  return { id: only.id, term: only.term };
}

/**
 * One settled leader and the seq of the event the cards showing it were drawn at, from the same DOM snapshot: scrubbing
 * back to that seq shows that leader leading (a seq read a moment later could already be past a re-election).
 */
export async function leaderAtSeq(page: Page, timeoutMs = 30_000): Promise<Leader & { readonly seq: number }> {
  let found: (Leader & { seq: number }) | null = null;
  await expect.poll(async () => {
    const snapshot = await domSnapshot(page);
    const leader = agreedLeader(snapshot.cards);
    found = leader === null || !(snapshot.viewSeq > 0) ? null : { ...leader, seq: snapshot.viewSeq };
    return found !== null;
  }, { timeout: timeoutMs, message: 'a settled leader, with the seq it leads at' }).toBe(true);
  if (found === null) throw new Error('no leader');
  return found;
}

/**
 * Pauses the cluster while it has one settled leader and returns that leader as the paused view shows it. Leadership
 * can move between reading it and the pause landing (a loaded machine delays a heartbeat): then the paused view shows
 * no agreed leader, and the cluster runs again until the next try.
 */
export async function pauseWithLeader(page: Page, attempts = 3): Promise<Leader> {
  for (let attempt = 1; ; attempt += 1) {
    await waitForLeader(page, { timeoutMs: 30_000 });
    await page.getByTestId('pause-cluster').click();
    await expect(page.getByTestId('cluster-phase')).toContainText('paused');
    const all = await caughtUpCards(page);
    const leader = agreedLeader(all);
    if (leader !== null) return leader;
    if (attempt >= attempts) throw new Error(`no settled leader when paused, ${attempts} times: ${JSON.stringify(all)}`);
    await page.getByTestId('resume-cluster').click();
    await expect(page.getByTestId('cluster-phase')).toHaveText('running');
  }
}

/** Sends one request from the client box and returns the text of `client-result` once it has an answer. */
export async function clientRequest(page: Page, op: 'put' | 'get', key: string, value = '', via: number | 'auto' = 'auto',
  timeoutMs = 3000): Promise<string> {
  await page.getByTestId('client-key').fill(key);
  if (op === 'put') await page.getByTestId('client-value').fill(value);
  await page.getByTestId('client-node').selectOption(String(via));
  await page.getByTestId('client-timeout').fill(String(timeoutMs));
  const result = page.getByTestId('client-result');
  const before = Number(await result.getAttribute('data-request'));
  await page.getByTestId(`client-${op}`).click();
  await expect(result).toHaveAttribute('data-request', String(before + 1));
  await expect(result).toHaveAttribute('data-state', 'done', { timeout: timeoutMs * 2 + 10_000 });
  return (await result.textContent()) ?? '';
}

/** Attaches a screenshot to the report, and saves it for the README when SAVE_SCREENSHOTS=1. */
export async function screenshot(page: Page, testInfo: TestInfo, name: string, target: 'page' | string = 'page'): Promise<void> {
  const body = target === 'page' ? await page.screenshot() : await page.getByTestId(target).screenshot();
  await testInfo.attach(name, { body, contentType: 'image/png' });
  if (process.env['SAVE_SCREENSHOTS'] === '1') {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    writeFileSync(resolve(SCREENSHOT_DIR, `${name}.png`), body);
  }
}
