// Membership changes from the UI on real processes (issue 13 §4): "Add server" starts S4 with an empty disk; it joins
// as a learner, catches up and the leader promotes it to voter (its inspector shows the configuration it uses);
// "Remove" asks in the page and, once the removal commits, the server's card goes and the rest carry on.
import { expect, test } from '@playwright/test';
import { startLab, type RunningLab } from '../helpers/lab-process';
import { cards, clientRequest, screenshot, startCluster, waitForLeader } from './cluster-page';

/**
 * A put's deadline, with retries on other servers: a membership change can cost an election, and on a loaded machine
 * the default 3 s may run out while one is under way (a deadline, not a wait: the answer comes as soon as it is known).
 */
const REQUEST_TIMEOUT_MS = 10_000;

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
    // The previous test changed the cluster: start a fresh one of 3.
    if (size.width === 1920) await startCluster(page, 3);
    await expect(page.getByTestId('cluster-phase')).toHaveText('running', { timeout: 30_000 });
    await waitForLeader(page);
    expect(await clientRequest(page, 'put', 'before', 'one', 'auto', REQUEST_TIMEOUT_MS)).toBe('ok');

    await page.getByTestId('add-server').click();
    const added = page.getByTestId('node-4');
    await expect(added).toHaveAttribute('data-status', 'running', { timeout: 30_000 });
    // Caught up and promoted: no longer a learner, and its own configuration names it a voter.
    await expect(added).toHaveAttribute('data-learner', 'false', { timeout: 30_000 });
    await added.click();
    await expect(page.getByTestId('inspector-config')).toContainText('voters S1, S2, S3, S4', { timeout: 30_000 });
    expect(await clientRequest(page, 'put', 'after', 'two', 'auto', REQUEST_TIMEOUT_MS)).toBe('ok');
    // Caught up: S4 has committed what the leader has, both read from one snapshot (the leader's commit index moves on
    // with a new term's no-op or a configuration entry: a value read first could be passed before S4 is seen at it).
    await expect.poll(async () => {
      const all = await cards(page);
      const leaders = all.filter((card) => card.role === 'leader' && card.status === 'running');
      const topTerm = Math.max(...all.map((card) => card.term));
      const s4 = all.find((card) => card.id === 4);
      return leaders.length === 1 && leaders[0]?.term === topTerm && s4 !== undefined && s4.commit === leaders[0].commit;
    }, { timeout: 30_000, message: "S4's commit index is the leader's" }).toBe(true);
    const leader = await waitForLeader(page);
    await screenshot(page, testInfo, `membership-added-${size.width}`);

    // The leader's promotion of S4 has committed: the next change may start (one at a time, §4.1).
    await expect(page.getByTestId('server-controls')).toHaveAttribute('data-config-pending', 'false', { timeout: 30_000 });
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
    expect(await clientRequest(page, 'put', 'removed', 'three', 'auto', REQUEST_TIMEOUT_MS)).toBe('ok');
    await screenshot(page, testInfo, `membership-removed-${size.width}`);
  });
}
