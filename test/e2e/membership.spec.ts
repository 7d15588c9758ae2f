// Membership changes from the UI on real processes (issue 13 §4): "Add server" starts S4 with an empty disk; it joins
// as a learner, catches up and the leader promotes it to voter (its inspector shows the configuration it uses);
// "Remove" asks in the page and, once the removal commits, the server's card goes and the rest carry on.
import { expect, test } from '@playwright/test';
import { startLab, type RunningLab } from '../helpers/lab-process';
import { clientRequest, screenshot, waitForLeader } from './cluster-page';

let lab: RunningLab;

test.beforeAll(async () => {
  lab = await startLab();
});

test.afterAll(async () => {
  await lab.stop();
});

for (const size of [{ width: 1280, height: 720 }, { width: 1920, height: 1080 }]) {
  test(`adds a server that catches up as a voter, then removes one (${size.width}x${size.height})`, async ({ page }, testInfo) => {
    await page.setViewportSize(size);
    await page.goto(lab.url);
    if (size.width === 1920) {
      // The previous test changed the cluster: start a fresh one of 3.
      await page.getByTestId('cluster-size').fill('3');
      await page.getByTestId('start-cluster').click();
      await page.getByTestId('confirm-accept').click();
      await expect(page.getByTestId('node-4')).toHaveCount(0);
    }
    await expect(page.getByTestId('cluster-phase')).toHaveText('running', { timeout: 30_000 });
    await waitForLeader(page);
    await clientRequest(page, 'put', 'before', 'one');

    await page.getByTestId('add-server').click();
    const added = page.getByTestId('node-4');
    await expect(added).toHaveAttribute('data-status', 'running', { timeout: 30_000 });
    // Caught up and promoted: no longer a learner, and its own configuration names it a voter.
    await expect(added).toHaveAttribute('data-learner', 'false', { timeout: 30_000 });
    await added.click();
    await expect(page.getByTestId('inspector-config')).toContainText('voters S1, S2, S3, S4', { timeout: 30_000 });
    await clientRequest(page, 'put', 'after', 'two');
    const leader = await waitForLeader(page);
    await expect(added).toHaveAttribute('data-commit', await page.getByTestId(`node-${leader.id}`).getAttribute('data-commit') ?? '0',
      { timeout: 30_000 });
    await screenshot(page, testInfo, `membership-added-${size.width}`);

    // Remove a follower (the confirm dialog asks first; cancel keeps it).
    const victim = [1, 2, 3].find((id) => id !== leader.id) ?? 1;
    await page.getByTestId(`remove-server-${victim}`).click();
    await expect(page.getByTestId('confirm-dialog')).toContainText(`Remove S${victim}`);
    await screenshot(page, testInfo, `membership-confirm-${size.width}`);
    await page.getByTestId('confirm-cancel').click();
    await expect(page.getByTestId(`node-${victim}`)).toHaveCount(1);
    await page.getByTestId(`remove-server-${victim}`).click();
    await page.getByTestId('confirm-accept').click();
    await expect(page.getByTestId(`node-${victim}`)).toHaveCount(0, { timeout: 30_000 });
    await clientRequest(page, 'put', 'removed', 'three');
    await screenshot(page, testInfo, `membership-removed-${size.width}`);
  });
}
