import { expect, test, type Page } from '@playwright/test';
import { startLab, type RunningLab } from '/work/wt-audit15/test/helpers/lab-process';
import { clientRequest, openTab } from '/work/wt-audit15/test/e2e/cluster-page';

let lab: RunningLab;
test.beforeAll(async () => { lab = await startLab(); });
test.afterAll(async () => { await lab.stop(); });
const shot = (page: Page, name: string) => page.screenshot({ path: `/work/wt-audit15/test-results/audit15/${name}.png` });

for (const [w, h] of [[1280, 720], [1920, 1080]] as const) {
  test(`student on the example Raft at ${w}x${h}`, async ({ page }) => {
    test.setTimeout(240_000);
    await page.setViewportSize({ width: w, height: h });
    await page.goto(lab.url);
    await expect(page.getByTestId('cluster-phase')).toHaveText('running', { timeout: 20_000 });
    await openTab(page, 'tab-settings');
    await page.getByTestId('implementation-example').check();
    await shot(page, `${w}-settings`);
    await page.getByTestId('apply-settings').click();
    await page.getByTestId('confirm-accept').click();
    await expect(page.getByTestId('cluster-phase')).toHaveText('running', { timeout: 20_000 });
    await expect(page.locator('[data-testid^="node-"][data-role="leader"]')).toHaveCount(1, { timeout: 15_000 });
    await shot(page, `${w}-running`);
    await openTab(page, 'tab-client');
    await page.getByTestId('workload-rate').fill('20');
    await page.getByTestId('workload-start').click();
    await page.waitForTimeout(3000);
    const leader = Number((await page.locator('[data-testid^="node-"][data-role="leader"]').first().getAttribute('data-testid'))?.slice(5));
    const others = [1, 2, 3].filter((id) => id !== leader);
    await page.getByTestId(`crash-${others[0]}`).click();
    await page.getByTestId(`pause-${others[1]}`).click().catch(() => undefined);
    await page.waitForTimeout(1500);
    await shot(page, `${w}-crash-pause`);
    await page.getByTestId(`resume-${others[1]}`).click().catch(() => undefined);
    await page.getByTestId(`restart-${others[0]}`).click().catch(() => undefined);
    await page.getByTestId(`isolate-${leader}`).click();
    await page.waitForTimeout(2500);
    await shot(page, `${w}-isolated`);
    await page.getByTestId('heal-all').click();
    await page.waitForTimeout(2000);
    await page.getByTestId('workload-stop').click();
    await expect(page.getByTestId('verdict')).toBeVisible({ timeout: 60_000 });
    await shot(page, `${w}-verdict`);
    await openTab(page, 'tab-events');
    await shot(page, `${w}-events`);
    await openTab(page, 'tab-logs').catch(() => undefined);
    await shot(page, `${w}-logs`);
    await openTab(page, 'tab-timeline').catch(() => undefined);
    await shot(page, `${w}-timeline`);
    await openTab(page, 'exercises-tab');
    await shot(page, `${w}-exercises`);
    if (w === 1280) {
      await page.getByTestId('presentation-toggle').click();
      await page.waitForTimeout(800);
      await shot(page, `${w}-presentation`);
      await page.getByTestId('presentation-toggle').click();
    }
  });
}
