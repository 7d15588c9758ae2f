// See Raft happen, on real node processes: at 20x slow motion a candidate is visible before the next leader; a
// paused cluster changes nothing; a forced timeout and Step make a follower leader one visible step at a time;
// messages held while paused can be delivered, dropped and duplicated by hand; Run lets a put through.
import { expect, test, type Page } from '@playwright/test';
import { startLab, type RunningLab } from '../helpers/lab-process';
import { clientRequest, pauseWithLeader, waitForLeader } from './cluster-page';

let lab: RunningLab;

test.beforeAll(async () => {
  lab = await startLab();
});

test.afterAll(async () => {
  await lab.stop();
});

interface RoleChange { readonly id: number; readonly role: string; readonly term: number }

/** Records, in the page, every change of a server's shown role (with its term), in the order the DOM showed them. */
async function recordRoleChanges(page: Page): Promise<void> {
  await page.evaluate(() => {
    const changes: { id: number; role: string; term: number }[] = [];
    (window as unknown as { roleChanges: typeof changes }).roleChanges = changes;
    const observer = new MutationObserver((mutations) => {
      for (const mutation of mutations) {
        const card = mutation.target as Element;
        const testId = card.getAttribute('data-testid') ?? '';
        if (!/^node-\d+$/.test(testId)) continue;
        changes.push({ id: Number(testId.slice(5)), role: card.getAttribute('data-role') ?? '', term: Number(card.getAttribute('data-term')) });
      }
    });
    observer.observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-role'] });
  });
}

async function roleChanges(page: Page): Promise<RoleChange[]> {
  return page.evaluate(() => (window as unknown as { roleChanges: RoleChange[] }).roleChanges);
}

async function nodeAttributes(page: Page): Promise<string[]> {
  return page.locator('[data-testid^="node-"]').evaluateAll((cards) => cards
    .filter((card) => /^node-\d+$/.test(card.getAttribute('data-testid') ?? ''))
    .map((card) => [...card.attributes].map((attribute) => `${attribute.name}=${attribute.value}`).sort().join(' ')));
}

async function setTimeScale(page: Page, scale: number): Promise<void> {
  await page.getByTestId('time-scale').fill(String(scale));
  await page.getByTestId('time-scale').press('Enter');
}

/** Clicks Step until `done` holds, waiting for each step to finish (the button is disabled while one plays out). */
async function stepUntil(page: Page, done: () => Promise<boolean>, maxSteps: number): Promise<number> {
  const step = page.getByTestId('step-cluster');
  for (let steps = 0; steps < maxSteps; steps += 1) {
    if (await done()) return steps;
    await expect(step).toBeEnabled({ timeout: 15_000 });
    await step.click();
  }
  throw new Error(`not reached within ${maxSteps} steps`);
}

test('at 20x slow motion a follower is seen as a candidate before the next leader appears', async ({ page }) => {
  await page.goto(lab.url);
  await setTimeScale(page, 20);
  const oldLeader = await waitForLeader(page, { timeoutMs: 30_000 });
  await recordRoleChanges(page);
  await page.getByTestId(`crash-${oldLeader.id}`).click();
  const newLeader = await waitForLeader(page, { notId: oldLeader.id, aboveTerm: oldLeader.term, timeoutMs: 40_000 });
  const changes = await roleChanges(page);
  const firstNewLeader = changes.findIndex((change) => change.role === 'leader' && change.term >= newLeader.term);
  const candidateBefore = changes.slice(0, firstNewLeader).some((change) => change.role === 'candidate' && change.term > oldLeader.term);
  expect(firstNewLeader, JSON.stringify(changes)).toBeGreaterThanOrEqual(0);
  expect(candidateBefore, JSON.stringify(changes)).toBe(true);
  await page.getByTestId(`restart-${oldLeader.id}`).click();
  await expect(page.getByTestId(`node-${oldLeader.id}`)).toHaveAttribute('data-status', 'running', { timeout: 20_000 });
  await setTimeScale(page, 10);
});

test('paused, nothing changes; a timed-out follower steps to leader; held messages obey; Run lets a put through', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(lab.url);
  await waitForLeader(page, { timeoutMs: 30_000 });
  expect(await clientRequest(page, 'put', 'before', '1')).toBe('ok');

  // The leader as the paused cluster shows it (leadership may have moved since the put, and the view catches up with
  // the pause a frame later): read before the pause, it could name a follower, or the term before a re-election.
  const leader = await pauseWithLeader(page);
  await expect(page.getByTestId('resume-cluster')).toBeVisible();
  const countBefore = await page.getByTestId('event-count').textContent();
  const attributesBefore = await nodeAttributes(page);
  // Several election timeouts at this speed: a running cluster would elect, send heartbeats, and log events.
  await page.waitForTimeout(4000);
  expect(await page.getByTestId('event-count').textContent()).toBe(countBefore);
  expect(await nodeAttributes(page)).toEqual(attributesBefore);

  const follower = [1, 2, 3].find((id) => id !== leader.id) as number;
  await page.getByTestId(`timeout-${follower}`).click();
  await expect(page.getByTestId(`node-${follower}`)).toHaveAttribute('data-role', 'candidate');
  await expect(page.getByTestId(`node-${follower}`)).toHaveAttribute('data-term', String(leader.term + 1));
  // Its RequestVotes wait at the other servers: drawn held.
  await expect(page.locator('[data-testid^="message-"][data-held="true"]').first()).toBeVisible();

  const steps = await stepUntil(page, async () => (await page.getByTestId(`node-${follower}`).getAttribute('data-role')) === 'leader', 60);
  expect(steps).toBeGreaterThan(1); // votes out, votes back: each its own step

  // A heartbeat of the new leader, held at a follower: duplicate it, deliver both copies, and see it gone.
  await stepUntil(page, async () => (await page.locator('[data-testid^="message-"][data-held="true"][data-type="AppendEntries"]').count()) > 0, 40);
  const held = page.locator('[data-testid^="message-"][data-held="true"][data-type="AppendEntries"]').first();
  const heldId = ((await held.getAttribute('data-testid')) ?? '').replace('message-', '');
  await held.click();
  await expect(page.getByTestId('message-inspector')).toBeVisible();
  await page.getByTestId('message-duplicate').click();
  // The copy is drawn as a message of its own, held beside the original.
  const copy = page.getByTestId(`message-${heldId}+1`);
  await expect(copy).toHaveAttribute('data-held', 'true');
  await page.getByTestId('message-deliver').click();
  await expect(page.getByTestId(`message-${heldId}`)).toHaveCount(0, { timeout: 10_000 });
  await copy.click();
  await page.getByTestId('message-drop').click();
  await expect(copy).toHaveAttribute('data-dropped', 'true', { timeout: 10_000 });

  await page.getByTestId('resume-cluster').click();
  await expect(page.getByTestId('cluster-phase')).toHaveText('running');
  // Running again: one settled leader above the paused leader's term. Usually the stepped one; on a loaded machine a
  // server whose timer was about to run out may start a later election before its first heartbeat arrives, which is
  // Raft working, not a failure of Run (the stepped election was checked above).
  await waitForLeader(page, { aboveTerm: leader.term, timeoutMs: 30_000 });
  expect(await clientRequest(page, 'put', 'after', '2')).toBe('ok');
});
