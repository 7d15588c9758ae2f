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
 * Opens the inspector of the one leader above `aboveTerm` (an isolated follower campaigning in higher terms does not
 * count: it cannot win), and returns its id.
 */
async function inspectLeader(page: Page, aboveTerm: number): Promise<number> {
  const leader = await waitForLeader(page, { timeoutMs: 30_000, aboveTerm });
  await page.getByTestId(`node-${leader.id}`).click();
  await expect(page.getByTestId('server-inspector')).toContainText(`S${leader.id}`);
  return leader.id;
}

test('the leader inspector shows each follower in probe or replicate, with its messages in flight', async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(lab.url);
  await startCluster(page, 3);
  const first = await waitForLeader(page, { timeoutMs: 30_000 });
  expect(await clientRequest(page, 'put', 'x', '1')).toBe('ok');
  const cut = first.id === 3 ? 2 : 3;
  await page.getByTestId(`isolate-${cut}`).click();
  expect(await clientRequest(page, 'put', 'y', '2', 'auto', 10_000)).toBe('ok');
  const leader = await inspectLeader(page, first.term - 1);
  expect(leader).not.toBe(cut); // cut off, it cannot win a majority
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
