// The leader inspector shows flow control on real processes: a follower cut off for an election timeout is probed
// (one AppendEntries per heartbeat), the others replicate. Screenshots at the sizes people use, and in presentation
// mode (an instructor's projector).
import { expect, test, type Page } from '@playwright/test';
import { startLab, type RunningLab } from '../helpers/lab-process';
import { clientRequest, screenshot, startCluster, waitForLeader } from './cluster-page';

let lab: RunningLab;

test.beforeAll(async () => {
  lab = await startLab();
});

test.afterAll(async () => {
  await lab.stop();
});

/**
 * Opens the inspector of the connected servers' one settled leader, `cut` left out (cut off, it campaigns in ever
 * higher terms, or, had it led when cut, still believes it leads), and returns its id.
 */
async function inspectLeader(page: Page, cut: number): Promise<number> {
  const leader = await waitForLeader(page, { timeoutMs: 30_000, excluding: [cut] });
  await page.getByTestId(`node-${leader.id}`).click();
  await expect(page.getByTestId('server-inspector')).toContainText(`S${leader.id}`);
  return leader.id;
}

test('the leader inspector shows each follower in probe or replicate, with its messages in flight', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(lab.url);
  await startCluster(page, 3);
  await waitForLeader(page, { timeoutMs: 30_000 });
  expect(await clientRequest(page, 'put', 'x', '1')).toBe('ok');
  // A follower of the leader of now (leadership may have moved during the put). Should it move even so before the
  // cut lands, the cut server is left out below: the connected two elect a leader of their own.
  const first = await waitForLeader(page, { timeoutMs: 30_000 });
  const cut = first.id === 3 ? 2 : 3;
  await page.getByTestId(`isolate-${cut}`).click();
  expect(await clientRequest(page, 'put', 'y', '2', 'auto', 10_000)).toBe('ok');
  const leader = await inspectLeader(page, cut);
  const other = [1, 2, 3].find((id) => id !== leader && id !== cut) as number;
  // Silent for an election timeout: probe; the connected follower answered everything: replicate, nothing in flight.
  await expect(page.getByTestId(`progress-state-${leader}-${cut}`)).toHaveText('Probe', { timeout: 20_000 });
  await expect(page.getByTestId(`progress-state-${leader}-${other}`)).toHaveText('Replicate');
  await expect(page.getByTestId(`progress-inflight-${leader}-${other}`)).toHaveText(/^\d+$/);
  await expect(page.getByTestId(`progress-inflight-${leader}-${cut}`)).toHaveCount(0);
  await screenshot(page, testInfo, 'inspector-flow-control-1280x720');
  await page.setViewportSize({ width: 1920, height: 1080 });
  await screenshot(page, testInfo, 'inspector-flow-control-1920x1080');
  await page.getByTestId('presentation-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-presentation', 'true');
  if ((await page.getByTestId('server-inspector').count()) === 0) await page.getByTestId(`node-${leader}`).click();
  await screenshot(page, testInfo, 'inspector-flow-control-presentation');
  await page.getByTestId('presentation-toggle').click();
  await page.getByTestId('heal-all').click();
  // Healed, the cut follower answers a probe and replicates again (its higher term may have forced a new election:
  // whoever leads then has every follower replicating once they answer).
  await expect.poll(async () => {
    const now = await waitForLeader(page, { timeoutMs: 30_000 });
    await page.getByTestId(`node-${now.id}`).click();
    const states = await page.locator(`[data-testid^="progress-state-${now.id}-"]`).allTextContents();
    return states.length === 2 && states.every((state) => state === 'Replicate');
  }, { timeout: 30_000, message: 'every follower replicating after the heal' }).toBe(true);
});
