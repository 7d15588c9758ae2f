// Membership and leadership transfer from the UI on real processes (issue 13 §4): "Add server" brings S4 in (a
// learner, then a voter), "Remove" takes a follower out once the change commits, and "Transfer" hands leadership to
// a chosen follower (dissertation §3.10): each is checked in what the page shows, the cards and the event log.
import { writeFileSync } from 'node:fs';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { startLab, type RunningLab } from '../helpers/lab-process';
import { clientRequest, screenshot, startCluster, waitForLeader } from './cluster-page';

let lab: RunningLab;

test.beforeAll(async () => {
  lab = await startLab();
});

test.afterAll(async () => {
  await lab.stop();
});

/** The screenshot in the report, and as a file beside the test's output for looking at the layout. */
async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await screenshot(page, testInfo, name);
  writeFileSync(testInfo.outputPath(`${name}.png`), await page.screenshot());
}

for (const size of [{ width: 1280, height: 720 }, { width: 1920, height: 1080 }]) {
  test(`adds a server, removes one and transfers leadership from the Servers panel (${size.width}x${size.height})`, async ({ page }, testInfo) => {
    // Three changes on a real cluster at teaching speed (each waits for a condition): ~45 s on a quiet machine.
    test.setTimeout(150_000);
    await page.setViewportSize(size);
    await page.goto(lab.url);
    await startCluster(page, 3);
    const first = await waitForLeader(page);
    await clientRequest(page, 'put', 'before', 'one');

    // Add: S4 joins as a learner and is promoted once caught up.
    await page.getByTestId('add-server').click();
    const added = page.getByTestId('node-4');
    await expect(added).toHaveAttribute('data-status', 'running', { timeout: 30_000 });
    await expect(added).toHaveAttribute('data-learner', 'false', { timeout: 30_000 });
    await expect(page.getByTestId('promote-4')).toHaveCount(0);

    // Remove a follower other than S4, once the leader's promotion of S4 has committed (one change at a time, §4.1):
    // S4's own card may say voter before the leader's state says it appended the promotion, let alone committed it.
    const servers = page.getByTestId('server-controls');
    await expect(servers).toHaveAttribute('data-leader-voters', '1,2,3,4', { timeout: 30_000 });
    await expect(servers).toHaveAttribute('data-config-pending', 'false', { timeout: 30_000 });
    const leader = await waitForLeader(page, { timeoutMs: 30_000 });
    const victim = [1, 2, 3].find((id) => id !== leader.id) as number;
    await page.getByTestId(`remove-server-${victim}`).click();
    await page.getByTestId('confirm-accept').click();
    await expect(page.getByTestId(`node-${victim}`)).toHaveCount(0, { timeout: 30_000 });

    // Transfer: to S4 (the added server), unless it leads already; then to another follower.
    const current = await waitForLeader(page, { timeoutMs: 30_000 });
    const target = current.id === 4 ? [1, 2, 3].find((id) => id !== victim && id !== 4) as number : 4;
    await expect(page.getByTestId(`transfer-to-${current.id}`)).toBeDisabled();
    await expect(page.getByTestId(`transfer-to-${target}`)).toBeEnabled();
    await page.getByTestId(`transfer-to-${target}`).click();
    const now = await waitForLeader(page, { aboveTerm: current.term, timeoutMs: 30_000 });
    expect(now.id).toBe(target);
    await expect(page.getByTestId(`node-${current.id}`)).toHaveAttribute('data-role', 'follower');
    await expect(page.getByTestId(`node-${current.id}`)).toHaveAttribute('data-leader', String(target));
    // The event log tells the transfer with its reasons (the log shows its newest rows: search for them).
    await page.getByTestId('event-search').fill(`hands leadership to S${target}`);
    await expect(page.getByTestId('event-log')).toContainText(`S${current.id} hands leadership to S${target}`);
    await expect(page.getByTestId('event-log')).toContainText('§3.10');
    await page.getByTestId('event-search').fill('TimeoutNow tells it');
    await expect(page.getByTestId('event-log')).toContainText(`S${target} holds our whole log`);
    await page.getByTestId('event-filter-clear').click();
    expect(await clientRequest(page, 'get', 'before')).toContain('one');
    expect(first.term).toBeLessThan(now.term);
    await shot(page, testInfo, `transfer-${size.width}x${size.height}`);
    await page.getByTestId(`node-${target}`).click();
    await shot(page, testInfo, `transfer-inspector-${size.width}x${size.height}`);
    if (size.width === 1280) {
      await page.getByTestId('presentation-toggle').click();
      await expect(page.locator('html')).toHaveAttribute('data-presentation', 'true');
      await shot(page, testInfo, 'transfer-presentation');
      await page.getByTestId('presentation-toggle').click();
    }
  });
}

test('a learner that was down while it joined gets Promote, and is a voter once promoted (1280x720)', async ({ page }, testInfo) => {
  test.setTimeout(150_000);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(lab.url);
  await startCluster(page, 3);
  await waitForLeader(page);
  // Paused, S4's learner entry is appended but nothing reaches S4 before it crashes: it cannot catch up by itself.
  await page.getByTestId('pause-cluster').click();
  await expect(page.getByTestId('cluster-phase')).toContainText('paused');
  await page.getByTestId('add-server').click();
  await expect(page.getByTestId('node-4')).toHaveAttribute('data-status', 'running', { timeout: 30_000 });
  // The leader has appended S4 as a learner (its configuration names it: Promote shows); nothing commits while paused,
  // so the next change waits (Add server is disabled, saying why).
  await expect(page.getByTestId('promote-4')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('add-server')).toBeDisabled();
  await expect(page.getByTestId('add-server')).toHaveAttribute('title', /has not committed yet/);
  await page.getByTestId('crash-4').click();
  await expect(page.getByTestId('node-4')).toHaveAttribute('data-status', 'crashed');
  await page.getByTestId('resume-cluster').click();
  const promote = page.getByTestId('promote-4');
  await expect(promote).toBeVisible();
  await expect(page.getByTestId('transfer-to-4')).toBeDisabled(); // a learner cannot lead
  // The learner entry commits on the three voters; then one change may follow it (§4.1).
  const leader = await waitForLeader(page, { timeoutMs: 30_000 });
  await expect(page.getByTestId(`node-${leader.id}`)).toHaveAttribute('data-commit', await page.getByTestId(`node-${leader.id}`).getAttribute('data-last-index') ?? '');
  await shot(page, testInfo, 'promote-1280x720');
  await promote.click();
  await expect(promote).toHaveCount(0, { timeout: 30_000 });
  await page.getByTestId('restart-4').click();
  await expect(page.getByTestId('node-4')).toHaveAttribute('data-learner', 'false', { timeout: 30_000 });
  await expect(page.getByTestId('transfer-to-4')).toBeEnabled({ timeout: 30_000 });
});
