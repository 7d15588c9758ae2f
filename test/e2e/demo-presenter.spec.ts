// A classroom demo in the presenter view, on real processes: Next plays each step (narration and cluster change
// together), Back returns to the previous step's state, and a second pass lands in exactly the same states (the demo
// is stepped from its timer seed).
import { expect, test, type Page } from '@playwright/test';
import { startLab, type RunningLab } from '../helpers/lab-process';

let lab: RunningLab;

test.beforeAll(async () => {
  lab = await startLab();
});

test.afterAll(async () => {
  await lab.stop();
});

/** Role, term, vote-free state of every server, as the cards show it (pids differ between runs; these must not). */
async function clusterState(page: Page): Promise<string> {
  return (await page.locator('[data-testid^="node-"][data-role]').evaluateAll((cards) => cards.map((card) =>
    ['data-testid', 'data-status', 'data-role', 'data-term', 'data-leader', 'data-commit', 'data-last-index']
      .map((name) => card.getAttribute(name)).join(' ')))).join(' | ');
}

/** The step is on screen once it has played: the progress says so and the controls are free again. */
async function waitForStep(page: Page, index: number): Promise<void> {
  await expect(page.getByTestId('demo-progress')).toHaveAttribute('data-step', String(index), { timeout: 30_000 });
  await expect(page.getByTestId('demo-progress')).toHaveAttribute('data-busy', 'false');
}

/**
 * How long the cards of a paused cluster must stay unchanged to be taken as the step's state: many times the view's
 * publish interval (50 ms) and a frame, so a view still catching up with the step's last events is not read as its end.
 */
const STABLE_MS = 1000;

/**
 * The cards once the view has caught up with the step (the lab's events reach the page a frame or two later, and the
 * demo's own check of the step sees them first): the cluster is paused, so cards unchanged for STABLE_MS are its state.
 * Two reads compared back to back were not enough: a clean-clone run and a loaded run each read S3 as candidate when
 * the step had made it leader.
 */
async function settledState(page: Page): Promise<string> {
  let current = await clusterState(page);
  let unchangedSinceMs = Date.now();
  await expect.poll(async () => {
    const next = await clusterState(page);
    if (next !== current) {
      current = next;
      unchangedSinceMs = Date.now();
    }
    return Date.now() - unchangedSinceMs >= STABLE_MS;
  }, { intervals: [200], timeout: 20_000, message: `the paused cluster's cards stay unchanged for ${STABLE_MS} ms` }).toBe(true);
  return current;
}

async function passThrough(page: Page): Promise<{ narration: string[]; states: string[] }> {
  await page.getByTestId('exercises-tab').click();
  await page.getByTestId('demo-item-first-election').click();
  await page.getByTestId('confirm-accept').click(); // a cluster runs: the demo asks before replacing it
  await expect(page.getByTestId('presenter-view')).toBeVisible();
  const narration: string[] = [];
  const states: string[] = [];
  const total = await page.locator('[data-testid="demo-progress"] li').count();
  for (let index = 0; index < total; index += 1) {
    if (index > 0) await page.keyboard.press('ArrowRight');
    await waitForStep(page, index);
    states.push(await settledState(page));
    narration.push((await page.getByTestId('demo-narration').getAttribute('data-step-id')) ?? '');
  }
  return { narration, states };
}

test('Next and Back step through a demo; a second pass shows the same states', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(lab.url);
  const first = await passThrough(page);
  expect(first.narration).toEqual(['all-followers', 'timer-fires', 'votes-arrive', 'leader', 'heartbeats']);
  expect(first.states[0]).toMatch(/data-role|follower/);
  expect(first.states[3]).toContain('leader');
  expect(new Set(first.states).size).toBeGreaterThan(2); // the cluster changed as the narration did

  // Back from the last step: the state at the start of... the previous step, exactly.
  await page.getByTestId('demo-back').click();
  await waitForStep(page, first.states.length - 2);
  expect(await settledState(page)).toBe(first.states[first.states.length - 2]);
  await expect(page.getByTestId('demo-narration')).toHaveAttribute('data-step-id', 'leader');

  await page.keyboard.press('Escape');
  await expect(page.getByTestId('presenter-view')).toHaveCount(0);
  const second = await passThrough(page);
  expect(second).toEqual(first);
});
