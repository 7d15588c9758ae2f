// The cluster diagram has priority: its servers keep their size whatever else is shown (more servers, an inspector,
// the timeline), and presentation mode is a projector layout (no control panels, larger type, the timeline still on
// screen at 1280x720). Sizes are measured in the real browser: only layout can show them.
import { expect, test, type Page } from '@playwright/test';
import { startLab, type RunningLab } from '../helpers/lab-process';
import { clientRequest, startCluster, waitForLeader } from './cluster-page';

let lab: RunningLab;

test.beforeAll(async () => {
  lab = await startLab();
});

test.afterAll(async () => {
  await lab.stop();
});

/** The drawn diameter of S1's circle, in CSS pixels. */
async function serverDiameter(page: Page): Promise<number> {
  const box = await page.locator('[data-testid="node-1"] circle.body').boundingBox();
  if (!box) throw new Error('S1 is not drawn');
  return box.height;
}

test('at 1920x1080 the servers stay large with 9 of them, an inspector and the timeline', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto(lab.url);
  await expect(page.getByTestId('node-3')).toHaveAttribute('data-status', 'running');
  const withThree = await serverDiameter(page);

  await startCluster(page, 9);
  const withNine = await serverDiameter(page);
  expect(withNine).toBeGreaterThanOrEqual(64);
  expect(withNine).toBeGreaterThanOrEqual(withThree - 2);

  await page.getByTestId('node-2').click();
  await expect(page.getByTestId('server-inspector')).toBeVisible();
  expect(await serverDiameter(page)).toBeGreaterThanOrEqual(withNine - 2);

  await expect(page.getByTestId('timeline')).toBeVisible();
  await page.getByTestId('timeline-toggle').click();
  expect(Math.abs(await serverDiameter(page) - withNine)).toBeLessThanOrEqual(2); // the timeline took nothing from it
});

test('presentation mode at 1280x720: no control panels, larger servers and type, the timeline on screen', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(lab.url);
  await expect(page.getByTestId('node-1')).toHaveAttribute('data-status', 'running');
  const normal = await serverDiameter(page);

  await page.getByTestId('presentation-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-presentation', 'true');
  await expect(page.getByTestId('server-controls')).toBeHidden();
  await expect(page.getByTestId('client-console')).toBeHidden();
  expect(await serverDiameter(page)).toBeGreaterThan(normal * 1.1);

  // The timeline keeps a strip of the screen (scrolling inside it), its lanes in sight.
  const strip = await page.locator('footer.timeline-area').boundingBox();
  expect(strip).not.toBeNull();
  expect((strip?.y ?? 720) + (strip?.height ?? 0)).toBeLessThanOrEqual(720);
  await expect(page.getByTestId('timeline-diagram')).toBeInViewport();

  await page.getByTestId('presentation-font-size').selectOption('28');
  await expect.poll(() => page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe('28px');
  await page.reload();
  await expect.poll(() => page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe('28px');
  await page.getByTestId('presentation-toggle').click();
});

test('presentation mode at 1280x720 with an inspector: it opens at its top, and each log shows its entries with whole labels', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(lab.url);
  await waitForLeader(page);
  for (const key of ['x', 'y', 'z', 'w']) expect(await clientRequest(page, 'put', key, '1')).toMatch(/ok/i);
  // A student scrolled the side column down to the client console, then turns to the projector.
  await page.locator('aside.side').evaluate((column) => { column.scrollTop = column.scrollHeight; });
  await page.getByTestId('presentation-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-presentation', 'true');

  await page.getByTestId('node-1').click();
  const inspector = page.getByTestId('server-inspector');
  await expect(inspector).toBeVisible();
  // Its top (the server's name and role) in sight, not the middle of it.
  await expect.poll(async () => {
    const [top, column] = await Promise.all([inspector.boundingBox(), page.locator('aside.side').boundingBox()]);
    return top !== null && column !== null && top.y >= column.y - 1 && top.y < column.y + 40;
  }).toBe(true);

  // The logs panel is narrow beside the inspector: each server's name goes over its log, which keeps three boxes or
  // more, and the commit and applied label under the newest entries is whole, not cut at the panel's edge.
  await expect.poll(() => page.locator('[data-testid^="log-entry-1-"]').count()).toBeGreaterThanOrEqual(3);
  const row = await page.getByTestId('log-row-1').evaluate((element) => {
    const track = element.querySelector('.track') as HTMLElement;
    const marker = element.querySelector('.marker') as HTMLElement;
    return { overflowPx: track.scrollWidth - track.clientWidth, markerPastPx: marker.getBoundingClientRect().right - track.getBoundingClientRect().right };
  });
  expect(row.overflowPx).toBeLessThanOrEqual(1);
  expect(row.markerPastPx).toBeLessThanOrEqual(1);
  await page.getByTestId('presentation-toggle').click();
});

test('an inspector open when presentation mode starts shows from its top, not from where the column was scrolled', async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.goto(lab.url);
  await waitForLeader(page);
  await page.getByTestId('node-1').click();
  const inspector = page.getByTestId('server-inspector');
  await expect(inspector).toBeVisible();
  // The student went on down the side column (the tabs under the servers), the inspector still open above.
  await page.locator('aside.side').evaluate((column) => { column.scrollTop = column.scrollHeight; });
  await page.getByTestId('presentation-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-presentation', 'true');
  await expect.poll(async () => {
    const [top, column] = await Promise.all([inspector.boundingBox(), page.locator('aside.side').boundingBox()]);
    return top !== null && column !== null && top.y >= column.y - 1 && top.y < column.y + 40;
  }).toBe(true);
  await page.getByTestId('presentation-toggle').click();
});
