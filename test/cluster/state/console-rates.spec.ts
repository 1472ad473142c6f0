import type { Browser, Page } from 'playwright-core';
import { HAS_CHROMIUM, launchChromium, openPage } from '../../e2e/console/chromium.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-databases.js';
import { clusterSkipReason, compileClusterFixtures, request, stopAllInstances, waitUntil, type ClusterInstance } from '../support/cluster-harness.js';
import { startStateApp } from '../support/state-app.js';

const skip = clusterSkipReason();
const describeCluster = skip === undefined ? describe : describe.skip;

if (skip !== undefined) it(skip, () => undefined);

interface RatesView {
  node: string;
  nodes: { nodeId: string; self: boolean; status: string }[];
  plugins: { plugin: string; calls: number; errors: number; callsPerSecond: number; errorRate: number; p95Seconds?: number }[];
}

/**
 * The console's rates across two real instances sharing PostgreSQL (heartbeats every second):
 * calls made on A and on B show on each one's own view, on the other's view of it, and summed.
 */
describeCluster('console rates in cluster mode', () => {
  let database: TestDatabase;
  let a: ClusterInstance, b: ClusterInstance;

  beforeAll(async () => {
    await compileClusterFixtures();
    database = await createTestDatabase('postgres');
    const url = (database.connection as { url: string }).url;
    [a, b] = await Promise.all(['a', 'b'].map((name) => startStateApp(`rates-${name}`, url))) as [ClusterInstance, ClusterInstance];
  }, 60_000);

  afterAll(async () => {
    await stopAllInstances();
    await database?.drop();
  }, 30_000);

  const rates = async (instance: ClusterInstance, node?: string) =>
    request(`${instance.url}/api/plugin-gateway/console/rates${node === undefined ? '' : `?node=${node}`}`, 'GET') as Promise<{ status: number; body: RatesView }>;
  const quoter = async (instance: ClusterInstance, node?: string) => (await rates(instance, node)).body.plugins.find((plugin) => plugin.plugin === 'quoter');
  const callQuoter = (instance: ClusterInstance, method: string, times: number) => request(`${instance.url}/cluster/call/quoter/${method}`, 'POST', { times });

  it("shows each instance's own calls, another instance's by its id, and the sum over both", async () => {
    expect((await callQuoter(a, 'quote', 3)).body).toEqual({ called: 3, failed: 0 });
    expect((await callQuoter(b, 'quote', 5)).body).toEqual({ called: 5, failed: 0 });
    expect((await callQuoter(b, 'refuse', 2)).body).toEqual({ called: 2, failed: 2 });

    // B's figures reach A with B's next heartbeat after its next sample: a few seconds at most.
    await waitUntil(async () => (await quoter(a, 'all'))?.calls === 10, 'the sum on A to count both instances', 10_000, 200);
    expect(await quoter(a, 'all')).toMatchObject({ calls: 10, errors: 2, errorRate: 0.2, p95Seconds: expect.any(Number) });
    expect(await quoter(a)).toMatchObject({ calls: 3, errors: 0 });
    expect(await quoter(a, 'rates-b')).toMatchObject({ calls: 7, errors: 2 });

    await waitUntil(async () => (await quoter(b, 'all'))?.calls === 10, 'the sum on B to count both instances', 10_000, 200);
    expect(await quoter(b)).toMatchObject({ calls: 7, errors: 2 });
    expect(await quoter(b, 'rates-a')).toMatchObject({ calls: 3, errors: 0 });

    const view = (await rates(a, 'all')).body;
    expect(view.node).toBe('all');
    expect(view.nodes.map(({ nodeId, self, status }) => [nodeId, self, status])).toEqual([
      ['rates-a', true, 'alive'],
      ['rates-b', false, 'alive'],
    ]);
    // The sum's calls/s is the instances' calls/s added up.
    const [own, other, sum] = await Promise.all([quoter(a), quoter(a, 'rates-b'), quoter(a, 'all')]);
    expect(sum!.callsPerSecond).toBeCloseTo(own!.callsPerSecond + other!.callsPerSecond, 5);
  }, 30_000);

  it('refuses an instance the cluster does not know, naming the ones it does', async () => {
    const { status, body } = await rates(a, 'rates-z');
    expect(status).toBe(404);
    expect((body as unknown as { message: string }).message).toBe('No instance "rates-z" in the cluster: ask for one of "rates-a", "rates-b" or "all"');
  });

  (HAS_CHROMIUM ? describe : describe.skip)('in Chromium', () => {
    let browser: Browser;
    let page: Page;
    let errors: string[];

    beforeAll(async () => {
      browser = await launchChromium();
      ({ page, errors } = await openPage(browser));
    });
    afterAll(() => browser?.close());

    it('offers this instance, each other instance and the sum, and shows the chosen one', async () => {
      await page.goto(`${a.url}/api/plugin-gateway/console`);
      const calls = () => page.locator('#rates tr[data-rates-for="quoter"] td[data-calls]').getAttribute('data-calls').then(Number);
      const selector = page.locator('#rates-node');
      await selector.waitFor({ state: 'visible', timeout: 10_000 });
      expect(await selector.locator('option').allTextContents()).toEqual(['this instance', 'rates-b', 'all instances (sum)']);
      expect(await calls()).toBe(3);
      for (const [choice, expected] of [['all', 10], ['rates-b', 7], ['', 3]] as const) {
        await selector.selectOption(choice);
        await page.waitForFunction((want) => Number(document.querySelector('#rates tr[data-rates-for="quoter"] td[data-calls]')?.getAttribute('data-calls')) === want, expected, { timeout: 5_000 });
      }
      expect(errors).toEqual([]);
    }, 30_000);
  });
});
