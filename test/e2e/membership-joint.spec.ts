// Joint consensus (paper §6) from the UI on real processes: Settings → membership changes → joint consensus starts a
// cluster whose removal first appends C_old,new. On a paused cluster the removal stops there, so the leader's
// inspector shows the joint configuration ("old voters … (joint)"); running again, C_new commits and the server goes.
import { expect, test } from '@playwright/test';
import { startLab, type RunningLab } from '../helpers/lab-process';
import { openTab, pauseWithLeader, screenshot, waitForLeader } from './cluster-page';

let lab: RunningLab;

test.beforeAll(async () => {
  lab = await startLab();
});

test.afterAll(async () => {
  await lab.stop();
});

for (const size of [{ width: 1280, height: 720 }, { width: 1920, height: 1080 }]) {
  test(`a removal by joint consensus shows C_old,new, then C_new (${size.width}x${size.height})`, async ({ page }, testInfo) => {
    await page.setViewportSize(size);
    await page.goto(lab.url);
    await expect(page.getByTestId('cluster-phase')).not.toHaveText('stopped', { timeout: 30_000 });
    await openTab(page, 'tab-settings');
    await page.getByTestId('membership-mode').selectOption('joint');
    await page.getByTestId('membership-mode').scrollIntoViewIfNeeded();
    await screenshot(page, testInfo, `membership-joint-choice-${size.width}`);
    await page.getByTestId('apply-settings').click();
    await page.getByTestId('confirm-accept').click(); // the running cluster is wiped: the lab asks first
    await expect(page.getByTestId('cluster-phase')).toHaveText('running', { timeout: 30_000 });
    for (const id of [1, 2, 3]) await expect(page.getByTestId(`node-${id}`)).toHaveAttribute('data-status', 'running');

    // Paused: the removal's C_old,new is appended at the leader and stays uncommitted until the cluster runs again.
    const leader = await pauseWithLeader(page);
    const victim = [1, 2, 3].find((id) => id !== leader.id) ?? 1;
    await page.getByTestId(`remove-server-${victim}`).click();
    await page.getByTestId('confirm-accept').click();
    await page.getByTestId(`node-${leader.id}`).click();
    const remaining = [1, 2, 3].filter((id) => id !== victim).map((id) => `S${id}`).join(', ');
    await expect(page.getByTestId('inspector-config')).toContainText(`voters ${remaining} · old voters S1, S2, S3 (joint)`, { timeout: 15_000 });
    await screenshot(page, testInfo, `membership-joint-pending-${size.width}`);
    await page.getByTestId('presentation-toggle').click();
    await expect(page.locator('html')).toHaveAttribute('data-presentation', 'true');
    await screenshot(page, testInfo, `membership-joint-presentation-${size.width}`);
    await page.getByTestId('presentation-toggle').click();

    await page.getByTestId('resume-cluster').click();
    await expect(page.getByTestId(`node-${victim}`)).toHaveCount(0, { timeout: 30_000 });
    await waitForLeader(page);
    // The inspector still shows the same server (clicking its card again would close it).
    await expect(page.getByTestId('inspector-config')).not.toContainText('(joint)', { timeout: 15_000 });
  });
}
