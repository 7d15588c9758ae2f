// Under the app's CSP (no inline styles but the handout's own, by hash), in a browser: the timeline draws with its
// colours, nothing is refused, and "Print…" prints the class handout, styled, from a hidden frame (the browser's print
// dialog is where a PDF is saved; the desktop app saves one itself).
import { expect, test } from '@playwright/test';
import { startLab, type RunningLab } from '../helpers/lab-process';
import { openTab, screenshot, waitForLeader } from './cluster-page';

let lab: RunningLab;

test.beforeAll(async () => {
  lab = await startLab();
});

test.afterAll(async () => {
  await lab.stop();
});

test('the timeline and a printed handout are styled under the CSP, and nothing is refused', async ({ page }, testInfo) => {
  const refused: string[] = [];
  page.on('console', (message) => {
    if (/Content.Security.Policy|Refused to/i.test(message.text())) refused.push(message.text());
  });
  // A headless browser has no print dialog to show: record the call instead (in every frame, the handout's too).
  await page.addInitScript(() => {
    window.print = () => { document.documentElement.dataset['printed'] = 'yes'; };
  });
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(lab.url);
  await waitForLeader(page, { timeoutMs: 30_000 });
  const marker = page.locator('[data-testid="timeline"] [data-marker="leader"] path').first();
  await expect(marker).toHaveAttribute('stroke', /^(#|rgb)/);
  await expect(page.locator('[data-testid="timeline-diagram"] [style]')).toHaveCount(0); // markup, not CSSOM

  // Every tool tab draws under the same policy (the CSP check at the end covers them all).
  for (const tab of ['tab-events', 'tab-faults', 'tab-client', 'tab-experiments', 'tab-settings']) {
    await page.getByTestId(tab).click();
  }
  await openTab(page, 'exercises-tab');
  await page.getByTestId('exercise-item-leader-crash').click();
  const print = page.getByTestId('exercise-report-pdf');
  await expect(print).toHaveText('Print…');
  await print.click();
  const handout = page.frameLocator('iframe[title="A leader falls, another rises"]');
  await expect(handout.locator('h1')).toBeVisible();
  const frame = page.frames().find((candidate) => candidate !== page.mainFrame());
  if (!frame) throw new Error('no handout frame');
  await expect.poll(() => frame.evaluate(() => document.documentElement.dataset['printed'] ?? 'no')).toBe('yes');
  // The handout's own <style> applies (allowed by its hash): its text colour and width, not the browser's defaults.
  const look = await frame.evaluate(() => {
    const body = getComputedStyle(document.body);
    return { color: body.color, maxWidth: body.maxWidth, verdictWeight: getComputedStyle(document.querySelector('.verdicts li') as Element).fontWeight };
  });
  expect(look).toEqual({ color: 'rgb(28, 28, 28)', maxWidth: '960px', verdictWeight: '700' });
  await screenshot(page, testInfo, 'handout-print-button');
  expect(refused).toEqual([]);
});
