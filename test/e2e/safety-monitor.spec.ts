// The live safety monitor, seen in the UI on real node processes: with the planted bug double-vote a server grants
// its vote to two candidates of one term, and at once the lab shows the safety banner (which property, who, which
// term, and the planted bug behind it), a marker on the timeline and the violation in the event log.
import { expect, test, type Page } from '@playwright/test';
import { startLab, type RunningLab } from '../helpers/lab-process';
import { openTab, pauseWithLeader, runningLeaders } from './cluster-page';

let lab: RunningLab;

test.beforeAll(async () => {
  lab = await startLab(['--bugs', 'double-vote']);
});

test.afterAll(async () => {
  await lab.stop();
});

/** What double-vote breaks first: a server's two votes in one term, or the two leaders they elect. */
const DOUBLE_VOTE_BREAKS = /^(one-vote-per-term|election-safety)$/;

/** The banner if the bug already bit (it may in the very first election), else the one leader's id. */
async function bannerOrLeader(page: Page): Promise<'banner' | number> {
  let outcome = null as 'banner' | number | null;
  await expect.poll(async () => {
    if (await page.getByTestId('safety-violation').isVisible()) outcome = 'banner';
    else {
      const leaders = await runningLeaders(page);
      outcome = leaders.length === 1 ? (leaders[0]?.id ?? null) : null;
    }
    return outcome;
  }, { timeout: 40_000, message: 'a safety banner or a single leader' }).not.toBeNull();
  if (outcome === null) throw new Error('neither a banner nor a single leader');
  return outcome;
}

test('double-vote: the safety banner names the broken property (and, to an instructor, the planted bug), with a timeline marker and an event', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(lab.url);
  const first = await bannerOrLeader(page);
  if (first !== 'banner') {
    // Two followers time out at once while the cluster is paused: the leader hears both candidates of the next term.
    // The leader is the one the paused view shows: the one read before pausing may have lost its term meanwhile.
    const leader = await pauseWithLeader(page);
    for (const follower of [1, 2, 3].filter((id) => id !== leader.id)) {
      await page.getByTestId(`timeout-${follower}`).click();
      await expect(page.getByTestId(`node-${follower}`)).toHaveAttribute('data-role', 'candidate');
    }
    await page.getByTestId('resume-cluster').click();
  }
  const banner = page.getByTestId('safety-violation');
  await expect(banner).toBeVisible({ timeout: 30_000 });
  await expect(banner).toHaveAttribute('data-invariant', DOUBLE_VOTE_BREAKS);
  await expect(banner).toContainText(/Election Safety|votes for at most one candidate/);
  await expect(page.getByTestId('safety-violation-scope')).toContainText(/servers S\d, S\d.* · term \d+/);
  // Sealed for a student (instructor mode is off by default): the broken property, never the bug's name.
  await expect(page.getByTestId('safety-violation-bug')).toHaveCount(0);
  await openTab(page, 'tab-settings');
  await page.getByTestId('instructor-mode').check();
  await expect(page.getByTestId('safety-violation-bug')).toContainText('double-vote');

  await expect(page.locator('[data-marker="violation"]').first()).toBeAttached();
  await openTab(page, 'tab-events');
  await page.getByTestId('event-filter-type').selectOption('violation');
  await expect(page.locator('[data-testid="event-row"][data-type="violation"]').first()).toContainText('SAFETY VIOLATION');
});
