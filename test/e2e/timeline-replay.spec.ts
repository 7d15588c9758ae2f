// The timeline as a time machine: scrubbing back shows the whole lab as it was, and a saved session replays without
// any process.
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { startLab, type RunningLab } from '../helpers/lab-process';
import { leaderAtSeq, pauseWithLeader, waitForLeader } from './cluster-page';

let lab: RunningLab;

test.beforeAll(async () => {
  lab = await startLab();
});

test.afterAll(async () => {
  await lab.stop();
});

/**
 * A settled leader (its no-op committed, every server in its term), with its term read in the same snapshot: an early
 * leader can lose its term to a faster candidate a moment later (seen on a fresh clone: S2 led term 1, S3 won term 2).
 */
async function leaderId(page: Page): Promise<number> {
  return (await waitForLeader(page, { timeoutMs: 30_000 })).id;
}

test('scrubbing the timeline back shows the old leader; Live returns to now', async ({ page }, testInfo) => {
  await page.goto(lab.url);
  const scrubber = page.getByTestId('timeline-scrubber');
  await expect(scrubber).toBeVisible();
  // The moment to scrub back to is read with the leader, from the same DOM snapshot: read later, it could already be
  // past a re-election.
  const { id: oldLeader, term: oldTerm, seq: seqWhileLeading } = await leaderAtSeq(page);
  expect(seqWhileLeading).toBeGreaterThan(0);

  await page.getByTestId(`crash-${oldLeader}`).click();
  await expect(page.getByTestId(`node-${oldLeader}`)).toHaveAttribute('data-status', 'crashed');
  await waitForLeader(page, { notId: oldLeader, aboveTerm: oldTerm, timeoutMs: 30_000 });

  await scrubber.fill(String(seqWhileLeading));
  await expect(page.getByTestId(`node-${oldLeader}`)).toHaveAttribute('data-role', 'leader');
  await expect(page.getByTestId(`node-${oldLeader}`)).toHaveAttribute('data-status', 'running');
  await testInfo.attach('timeline-scrubbed', { body: await page.screenshot(), contentType: 'image/png' });

  await page.getByTestId('timeline-live').click();
  await expect(page.getByTestId(`node-${oldLeader}`)).toHaveAttribute('data-status', 'crashed');
  await page.getByTestId(`restart-${oldLeader}`).click();
  await expect(page.getByTestId(`node-${oldLeader}`)).toHaveAttribute('data-status', 'running');
});

test('a saved session loads and replays without processes', async ({ page }, testInfo) => {
  await page.goto(lab.url);
  // Saved from a paused cluster with one settled leader, the session ends in that state (saved a moment after a live
  // read, it could end mid-election, with two leaders or none).
  await pauseWithLeader(page);
  const download = page.waitForEvent('download');
  await page.getByTestId('save-session').click();
  const saved = await (await download).path();
  const text = readFileSync(saved, 'utf8');
  const header = JSON.parse(text.split('\n')[0] ?? '{}') as { format?: string; version?: number };
  expect(header).toMatchObject({ format: 'raft-lab-session', version: 1 });
  expect(text.split('\n').filter((line) => line.trim() !== '').length).toBeGreaterThan(10);

  await page.getByTestId('load-session').setInputFiles(saved);
  await page.getByTestId('confirm-accept').click(); // the live cluster runs: replaying over it asks first
  await expect(page.getByTestId('replay-badge')).toBeVisible();
  await page.getByTestId('replay-play').click();
  // The replay ends at the end of the recording, where the cluster had a leader.
  await expect(page.locator('[data-testid^="node-"][data-role="leader"]')).toHaveCount(1, { timeout: 30_000 });
  await testInfo.attach('replay', { body: await page.screenshot(), contentType: 'image/png' });
  await page.getByTestId('leave-replay').click();
  await expect(page.getByTestId('replay-badge')).toHaveCount(0);
  await page.getByTestId('resume-cluster').click();
  await expect(page.getByTestId('cluster-phase')).toHaveText('running');
});

test('a malformed session file is refused with its line number and changes nothing', async ({ page }) => {
  await page.goto(lab.url);
  await leaderId(page);
  await page.getByTestId('load-session').setInputFiles({
    name: 'broken.ndjson', mimeType: 'application/x-ndjson',
    buffer: Buffer.from('{"format":"raft-lab-session","version":1}\nnot json\n'),
  });
  await expect(page.getByTestId('session-error')).toContainText(/line \d+/);
  await expect(page.getByTestId('replay-badge')).toHaveCount(0);
});
