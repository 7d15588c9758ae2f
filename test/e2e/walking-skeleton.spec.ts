import { expect, test } from '@playwright/test';
import { startLab, type RunningLab } from '../helpers/lab-process';

let lab: RunningLab;

test.beforeAll(async () => {
  lab = await startLab();
});

test.afterAll(async () => {
  await lab.stop();
});

test('the web UI lists the live node processes of a 3-node cluster', async ({ page }) => {
  await page.goto(lab.url);
  for (const id of [1, 2, 3]) {
    const card = page.getByTestId(`node-${id}`);
    await expect(card).toBeVisible();
    await expect(card).toHaveAttribute('data-status', 'running');
    await expect(card).toContainText(/pid \d+/);
  }
  await expect(page.getByTestId('node-4')).toHaveCount(0);
});

test('starting a 5-node cluster from the UI replaces the 3-node one', async ({ page }) => {
  await page.goto(lab.url);
  await expect(page.getByTestId('node-3')).toHaveAttribute('data-status', 'running');
  await page.getByTestId('cluster-size').fill('5');
  await expect(page.getByTestId('start-cluster')).toHaveText('New cluster');
  await page.getByTestId('start-cluster').click();
  await page.getByTestId('confirm-accept').click(); // the running 3-node cluster is wiped: the lab asks first
  await expect(page.getByTestId('node-5')).toHaveAttribute('data-status', 'running');
  await expect(page.getByTestId('cluster-phase')).toHaveText('running');
  await page.getByTestId('stop-cluster').click();
  await expect(page.getByTestId('cluster-phase')).toHaveText('stopped');
  await expect(page.getByTestId('node-1')).toHaveCount(0);
});

test('the API refuses a WebSocket without the token', async ({ page }) => {
  await page.goto(lab.url);
  const outcome = await page.evaluate(async (port) => new Promise<string>((resolve) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/api?token=wrong`);
    socket.onopen = () => resolve('open');
    socket.onerror = () => resolve('refused');
  }), lab.port);
  expect(outcome).toBe('refused');
});

test('a page opened without the token says to open the URL the lab printed, not "stopped"', async ({ page }) => {
  await page.goto(`http://127.0.0.1:${lab.port}/`);
  await expect(page.getByTestId('link-refused')).toContainText('URL the lab printed');
  await expect(page.getByTestId('cluster-phase')).toHaveText('not connected');
  await expect(page.getByTestId('view-mode')).not.toContainText('live');
  await expect(page.getByTestId('cluster-state')).not.toContainText('press Start');
  await expect(page.getByTestId('start-cluster')).toBeDisabled();
});
