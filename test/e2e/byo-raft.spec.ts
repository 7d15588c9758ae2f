// Bring your own Raft in the app: Settings → Implementation → the example Raft (assets/byo/example-raft.mjs, speaking
// Maelstrom's protocol behind relay nodes). The cluster view draws its messages by their body's type, its roles come
// from its raft_lab_state reports, and the client box's put and get are answered through lin-kv.
import { expect, test } from '@playwright/test';
import { resolve } from 'node:path';
import { startLab, type RunningLab } from '../helpers/lab-process';
import { clientRequest, openTab, screenshot } from './cluster-page';

let lab: RunningLab;

test.beforeAll(async () => {
  lab = await startLab();
});

test.afterAll(async () => {
  await lab.stop();
});

test('the example Raft runs as the cluster: its messages and client results show', async ({ page }, testInfo) => {
  await page.goto(lab.url);
  await expect(page.getByTestId('node-3')).toHaveAttribute('data-status', 'running');
  await openTab(page, 'tab-settings');
  await page.getByTestId('implementation-example').check();
  await page.getByTestId('apply-settings').click();
  await page.getByTestId('confirm-accept').click(); // the running cluster is wiped: the lab asks first
  await expect(page.getByTestId('cluster-phase')).toHaveText('running', { timeout: 20_000 });
  for (const id of [1, 2, 3]) await expect(page.getByTestId(`node-${id}`)).toHaveAttribute('data-status', 'running');

  // Its own election, reported through raft_lab_state: one leader.
  await expect(page.locator('[data-testid^="node-"][data-role="leader"]')).toHaveCount(1, { timeout: 15_000 });
  // Its messages travel in the cluster view under their own names.
  await expect(page.locator('[data-testid^="message-"][data-type="append_entries"]').first()).toBeAttached({ timeout: 15_000 });
  // Types the lab does not know: a grey "?" glyph with the type's name under it, and the legends say so.
  await expect(page.locator('[data-testid^="message-"][data-type="append_entries"] [data-testid="message-type-name"]').first())
    .toHaveText('append_entries', { timeout: 15_000 });
  await expect(page.getByTestId('legend-own-types')).toContainText('?');

  await openTab(page, 'tab-client');
  expect(await clientRequest(page, 'put', '1', '42', 'auto', 5000)).toMatch(/ok/i);
  expect(await clientRequest(page, 'get', '1', '', 'auto', 5000)).toBe('42');
  expect(await clientRequest(page, 'get', '7', '', 'auto', 5000), 'error 20: the key is absent').toBe('(absent)');
  await screenshot(page, testInfo, 'byo-example-raft');

  await openTab(page, 'tab-events');
  // Its raft_lab_event notes, in the event log in its own words.
  await page.getByTestId('event-search').fill('says: n');
  await expect(page.getByTestId('event-row').first()).toContainText(/says: n\d (won the election|timed out)/);
});

test('my own executable: a path and its arguments typed in Settings run as the cluster', async ({ page }) => {
  await page.goto(lab.url);
  await openTab(page, 'tab-settings');
  await page.getByTestId('implementation-executable').check();
  await expect(page.getByTestId('apply-settings')).toBeDisabled(); // no executable named yet
  await page.getByTestId('implementation-bin').fill('python3');
  await page.getByTestId('implementation-args').fill(resolve(import.meta.dirname, '..', 'fixtures', 'byo', 'forward_to_n1.py'));
  await page.getByTestId('apply-settings').click();
  await page.getByTestId('confirm-accept').click();
  await expect(page.getByTestId('cluster-phase')).toHaveText('running', { timeout: 20_000 });
  await expect(page.getByTestId('node-1')).toHaveAttribute('data-role', 'leader', { timeout: 10_000 }); // from its raft_lab_state
  await openTab(page, 'tab-client');
  expect(await clientRequest(page, 'put', '3', '8', 2, 5000)).toMatch(/ok/i);
  expect(await clientRequest(page, 'get', '3', '', 3, 5000)).toBe('8');
  // Through n2 and n3, which forward to n1: the forwards are messages between the nodes, under their own name.
  await openTab(page, 'tab-events');
  await page.getByTestId('event-search').fill('forward S2→S1');
  await expect(page.getByTestId('event-row').first()).toContainText('sent forward S2→S1');
});

test('the workload panel runs lin-kv against the example Raft: client results, unknowns counted, a verdict', async ({ page }, testInfo) => {
  await page.goto(lab.url);
  await expect(page.getByTestId('cluster-phase')).toHaveText('running', { timeout: 20_000 });
  await openTab(page, 'tab-settings');
  await page.getByTestId('implementation-example').check();
  await page.getByTestId('apply-settings').click();
  await page.getByTestId('confirm-accept').click();
  await expect(page.getByTestId('cluster-phase')).toHaveText('running', { timeout: 20_000 });
  await expect(page.locator('[data-testid^="node-"][data-role="leader"]')).toHaveCount(1, { timeout: 15_000 });

  await openTab(page, 'tab-client');
  await expect(page.getByTestId('workload-lin-kv-note')).toContainText('lin-kv');
  await expect(page.getByTestId('workload-mix-delete')).toBeDisabled();
  await expect(page.getByTestId('workload-mix-delete'), 'what is sent: no delete').toHaveValue('0');
  await expect(page.getByTestId('workload-mix-sent')).toHaveText('sent as get 56% · put 33% · cas 11%');
  await screenshot(page, testInfo, 'byo-workload-mix');
  await page.getByTestId('workload-rate').fill('30');
  await page.getByTestId('workload-start').click();
  const stats = page.getByTestId('workload-stats');
  const count = async (what: string): Promise<number> => Number(new RegExp(`(\\d+) ${what}`).exec((await stats.textContent()) ?? '')?.[1] ?? 0);
  await expect.poll(() => count('ok'), { timeout: 30_000, message: 'the example Raft answers the workload' }).toBeGreaterThan(20);
  // No majority anywhere: one follower is paused, then the leader is cut off, so the last follower can neither elect a
  // leader nor commit. Every operation from then on ends unknown (the old leader never answers: a timeout; the follower
  // answers error 11). Isolating the leader alone does not have to produce an unknown: the requests in flight at the
  // cut may already sit in the followers' logs, and the new leader commits them and answers them itself (ok, or a cas
  // refused with 22), while no client has sent anything to the old leader since.
  const leader = Number((await page.locator('[data-testid^="node-"][data-role="leader"]').first().getAttribute('data-testid'))?.slice(5));
  const paused = leader === 1 ? 2 : 1;
  await page.getByTestId(`pause-${paused}`).click();
  await expect(page.getByTestId(`node-${paused}`)).toHaveAttribute('data-status', 'paused');
  await page.getByTestId(`isolate-${leader}`).click();
  await expect.poll(() => count('unknown'), { timeout: 30_000, message: 'without a majority, operations end unknown' }).toBeGreaterThan(0);
  await page.getByTestId(`resume-${paused}`).click();
  await expect(page.getByTestId(`node-${paused}`)).toHaveAttribute('data-status', 'running');
  await page.getByTestId('heal-all').click();
  const okAfterHeal = await count('ok');
  await expect.poll(() => count('ok'), { timeout: 30_000, message: 'the healed cluster answers again' }).toBeGreaterThan(okAfterHeal + 5);
  await page.getByTestId('workload-stop').click();
  await expect(page.getByTestId('verdict')).toHaveAttribute('data-linearizable', 'true', { timeout: 60_000 });
  const rows = page.getByTestId('history-table').locator('tbody tr');
  await expect(rows).not.toHaveCount(0);
  await expect(page.getByTestId('history-table')).toContainText(/unknown/);
  await screenshot(page, testInfo, 'byo-workload');
});

test('the exercise picker says which exercises run on the example Raft; from-outside runs on it, checked live', async ({ page }, testInfo) => {
  test.setTimeout(150_000);
  await page.goto(lab.url);
  await expect(page.getByTestId('cluster-phase')).toHaveText('running', { timeout: 20_000 });
  await openTab(page, 'tab-settings');
  await page.getByTestId('implementation-example').check();
  await page.getByTestId('apply-settings').click();
  await page.getByTestId('confirm-accept').click();
  await expect(page.getByTestId('cluster-phase')).toHaveText('running', { timeout: 20_000 });

  await openTab(page, 'exercises-tab');
  await expect(page.getByTestId('exercise-own-raft-note')).toBeVisible();
  await expect(page.getByTestId('exercise-fit-from-outside')).toHaveAttribute('data-need', 'outside');
  await expect(page.getByTestId('exercise-fit-leader-crash')).toHaveAttribute('data-need', 'state');
  await expect(page.getByTestId('exercise-fit-first-election')).toHaveAttribute('data-need', 'built-in');
  await expect(page.getByTestId('exercise-fit-first-election')).toContainText('time out now');
  await screenshot(page, testInfo, 'byo-exercise-picker');

  await page.getByTestId('exercise-item-from-outside').click();
  await expect(page.getByTestId('exercise-implementation')).toHaveAttribute('data-own', 'true');
  await page.getByTestId('exercise-start').click();
  await page.getByTestId('confirm-accept').click();
  await expect(page.getByTestId('cluster-phase')).toHaveText('running', { timeout: 20_000 });
  const steps = page.getByTestId('exercise-step');
  // Step 1 is reached by the example Raft's own messages (its heartbeats and their answers).
  await expect(steps.nth(0)).toHaveAttribute('data-status', 'achieved', { timeout: 30_000 });
  await expect(page.locator('[data-testid^="message-"][data-type="append_entries"]').first()).toBeAttached({ timeout: 15_000 });
  await page.getByTestId('exercise-next').click();
  // Step 2 by "Show me": a lin-kv write and read through the relay.
  await page.getByTestId('exercise-show-me').click();
  await expect(steps.nth(1)).toHaveAttribute('data-status', 'achieved', { timeout: 40_000 });
  await page.getByTestId('exercise-next').click();
  // Step 3 by hand: crash S3, then a write through the client box.
  await page.getByTestId('crash-3').click();
  await openTab(page, 'tab-client');
  expect(await clientRequest(page, 'put', '1', '20', 'auto', 5000)).toMatch(/ok/i);
  await openTab(page, 'exercises-tab');
  await expect(steps.nth(2)).toHaveAttribute('data-status', 'achieved', { timeout: 20_000 });
});
