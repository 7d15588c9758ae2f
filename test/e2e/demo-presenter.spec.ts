// A classroom demo in the presenter view, on real processes: Next plays each step (narration and cluster change
// together), Back returns to the previous step's state, and a second pass lands in exactly the same states (the demo
// is stepped from its timer seed).
import { expect, test, type Page } from '@playwright/test';
import { startLab, type RunningLab } from '../helpers/lab-process';
import { type Card, caughtUpCards, openTab } from './cluster-page';

let lab: RunningLab;

test.beforeAll(async () => {
  lab = await startLab();
});

test.afterAll(async () => {
  await lab.stop();
});

/** The step is on screen once it has played: the progress says so and the controls are free again. */
async function waitForStep(page: Page, index: number): Promise<void> {
  await expect(page.getByTestId('demo-progress')).toHaveAttribute('data-step', String(index), { timeout: 30_000 });
  await expect(page.getByTestId('demo-progress')).toHaveAttribute('data-busy', 'false');
}

/**
 * The step's state as the cards show it once the view draws every event the lab published (the demo's own check of
 * the step sees the events a frame or more before the cards do; the cluster is paused, so nothing comes after them).
 * Role, term, leader and indexes of every server: pids differ between runs, these must not.
 */
async function stepState(page: Page): Promise<Card[]> {
  return caughtUpCards(page, 20_000);
}

async function passThrough(page: Page): Promise<{ narration: string[]; states: Card[][] }> {
  await openTab(page, 'exercises-tab');
  await page.getByTestId('demo-item-first-election').click();
  await page.getByTestId('confirm-accept').click(); // a cluster runs: the demo asks before replacing it
  await expect(page.getByTestId('presenter-view')).toBeVisible();
  const narration: string[] = [];
  const states: Card[][] = [];
  const total = await page.locator('[data-testid="demo-progress"] li').count();
  for (let index = 0; index < total; index += 1) {
    if (index > 0) await page.keyboard.press('ArrowRight');
    await waitForStep(page, index);
    states.push(await stepState(page));
    narration.push((await page.getByTestId('demo-narration').getAttribute('data-step-id')) ?? '');
  }
  return { narration, states };
}

test('Next and Back step through a demo; a second pass shows the same states', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(lab.url);
  const first = await passThrough(page);
  expect(first.narration).toEqual(['all-followers', 'timer-fires', 'votes-arrive', 'leader', 'heartbeats']);
  expect(first.states[0]?.map((card) => card.role)).toEqual(['follower', 'follower', 'follower']);
  expect(first.states[3]?.filter((card) => card.role === 'leader')).toHaveLength(1);
  expect(new Set(first.states.map((state) => JSON.stringify(state))).size).toBeGreaterThan(2); // the cluster changed as the narration did

  // Back from the last step: the state at the start of... the previous step, exactly.
  await page.getByTestId('demo-back').click();
  await waitForStep(page, first.states.length - 2);
  expect(await stepState(page)).toEqual(first.states[first.states.length - 2]);
  await expect(page.getByTestId('demo-narration')).toHaveAttribute('data-step-id', 'leader');

  await page.keyboard.press('Escape');
  await expect(page.getByTestId('presenter-view')).toHaveCount(0);
  const second = await passThrough(page);
  expect(second).toEqual(first);
});
