import 'reflect-metadata';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { PluginRegistry } from 'nestjs-plugins';

const databasePath = join(tmpdir(), `nestjs-plugins-sample-${process.pid}-${Date.now()}.sqlite`);
let app: INestApplication;

/** The sample app on this file's own SQLite database; a second start finds the first one's data. */
async function startSample(): Promise<INestApplication> {
  // The app module reads DATABASE_PATH when it is evaluated, so import it only after setting it.
  process.env.DATABASE_PATH = databasePath;
  const { AppModule } = await import('../../sample/app.module.js');
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const started = moduleRef.createNestApplication({ logger: false });
  await started.init();
  return started;
}

beforeAll(async () => {
  app = await startSample();
});

afterAll(async () => {
  await app?.close();
  await rm(databasePath, { force: true });
});

describe('sample app', () => {
  it('adds awarded points to the score', async () => {
    await request(app.getHttpServer()).post('/plugins/leaderboard/award').send({ userId: 'alice', points: 10 }).expect(200, { userId: 'alice', newScore: 10 });
    await request(app.getHttpServer()).post('/plugins/leaderboard/award').send({ userId: 'alice', points: 5 }).expect(200, { userId: 'alice', newScore: 15 });
    await request(app.getHttpServer()).get('/plugins/leaderboard/score/alice').expect(200, { userId: 'alice', score: 15 });
  });

  it('scores an unknown user 0', async () => {
    await request(app.getHttpServer()).get('/plugins/leaderboard/score/nobody').expect(200, { userId: 'nobody', score: 0 });
  });

  it('loses no points when awards for one user arrive together', async () => {
    const awards = Array.from({ length: 20 }, () => request(app.getHttpServer()).post('/plugins/leaderboard/award').send({ userId: 'dave', points: 1 }));
    await Promise.all(awards);
    await request(app.getHttpServer()).get('/plugins/leaderboard/score/dave').expect(200, { userId: 'dave', score: 20 });
  });

  it.each([
    ['no body', undefined],
    ['an empty userId', { userId: '', points: 1 }],
    ['non-numeric points', { userId: 'alice', points: '10' }],
  ])('rejects an award with %s', async (_case, body) => {
    const response = await request(app.getHttpServer()).post('/plugins/leaderboard/award').send(body).expect(400);
    expect(response.body.statusCode).toBe(400);
  });

  it('lists the eight plugins as active', async () => {
    const response = await request(app.getHttpServer()).get('/plugins').expect(200);
    expect(response.body).toEqual([
      { name: 'leaderboard', version: '1.0.0', state: 'active', dependencies: [{ name: 'user-utils', version: '^1.0.0', reason: 'reads and awards scores' }] },
      { name: 'user-utils', version: '1.2.0', state: 'active', dependencies: [] },
      { name: 'cache-service', version: '1.0.0', state: 'active', dependencies: [] },
      { name: 'analytics', version: '1.0.0', state: 'active', dependencies: [{ name: 'crm', version: '^1.0.0', reason: 'reports on its contacts and deals' }] },
      { name: 'crm', version: '1.0.0', state: 'active', dependencies: [] },
      { name: 'reports', version: '1.0.0', state: 'active', dependencies: [{ name: 'inventory', optional: true, reason: 'remote service, registered at runtime' }] },
      // isolated in a worker thread once built; inline under Jest (TypeScript sources)
      { name: 'word-stats', version: '1.0.0', state: 'active', dependencies: [] },
      { name: 'greeting', version: '1.0.0', state: 'active', dependencies: [] },
    ]);
  });

  it('counts words with the plugin declared @Plugin({ isolation: \'thread\' })', async () => {
    const registry = app.get(PluginRegistry) as unknown as { call(name: string, method: string, ...args: unknown[]): unknown };
    await expect(Promise.resolve(registry.call('word-stats', 'count', 'to be or not to be'))).resolves.toBe(6);
    await expect(Promise.resolve(registry.call('word-stats', 'mostFrequent', 'to be or not to be', 2))).resolves.toEqual([{ word: 'be', count: 2 }, { word: 'to', count: 2 }]);
  });

  it('serves the plugin installed as the package @nestjs-plugins-sample/greeting', async () => {
    await request(app.getHttpServer()).get('/plugins/greeting/hello/ada').expect(200, { greeting: 'Hello, ada!' });
    expect(await app.get(PluginRegistry).call('greeting', 'greet', 'grace')).toBe('Hello, grace!');
  });

  it('exposes resetScore from a provider of user-utils', async () => {
    const registry = app.get(PluginRegistry);
    await registry.call('user-utils', 'addScore', 'carol', 3);
    await registry.call('user-utils', 'resetScore', 'carol');
    expect(await registry.call('user-utils', 'getScore', 'carol')).toBe(0);
  });

  it('drops cache entries once their TTL has passed', async () => {
    const registry = app.get(PluginRegistry);
    registry.call('cache-service', 'set', 'short', 'lived', 30);
    registry.call('cache-service', 'set', 'forever', { id: 1 });
    expect(registry.call('cache-service', 'get', 'short')).toBe('lived');
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(registry.call('cache-service', 'get', 'short')).toBeNull();
    expect(registry.call('cache-service', 'get', 'forever')).toEqual({ id: 1 });
    registry.call('cache-service', 'delete', 'forever');
    expect(registry.call('cache-service', 'get', 'forever')).toBeNull();
  });

  it('keeps each plugin table under its prefixed name in the SQLite file', async () => {
    const dataSource = app.get(DataSource);
    const tables: { name: string }[] = await dataSource.query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'sqlite_sequence' ORDER BY name`);
    expect(tables.map(({ name }) => name)).toEqual(['analytics_report_runs', 'crm_contacts', 'crm_deals', 'plugin_migrations', 'plugin_shared_data', 'user-utils_user_scores']);
    await request(app.getHttpServer()).post('/plugins/leaderboard/award').send({ userId: 'erin', points: 7 }).expect(200);
    expect(await dataSource.query(`SELECT userId, score FROM "user-utils_user_scores" WHERE userId = 'erin'`)).toEqual([{ userId: 'erin', score: 7 }]);
  });

  it('keeps scores across a restart', async () => {
    await request(app.getHttpServer()).post('/plugins/leaderboard/award').send({ userId: 'frank', points: 4 }).expect(200, { userId: 'frank', newScore: 4 });
    await app.close();
    app = await startSample();
    await request(app.getHttpServer()).post('/plugins/leaderboard/award').send({ userId: 'frank', points: 4 }).expect(200, { userId: 'frank', newScore: 8 });
  });
});

describe('sample app: crm and analytics', () => {
  const cents = { engine: 120_000, notes: 30_000, compiler: 50_000, cobol: 20_000, kernel: 80_000 };
  const contactIds: Record<'ada' | 'grace' | 'linus', number> = { ada: 0, grace: 0, linus: 0 };

  async function created(path: string, body: object): Promise<{ id: number }> {
    return (await request(app.getHttpServer()).post(`/plugins/crm/${path}`).send(body).expect(201)).body;
  }

  // The only contacts and deals of this app; the tests below read them and add none.
  beforeAll(async () => {
    contactIds.ada = (await created('contacts', { name: 'Ada Lovelace', email: 'ada@example.com' })).id;
    contactIds.grace = (await created('contacts', { name: 'Grace Hopper', email: 'grace@example.com' })).id;
    contactIds.linus = (await created('contacts', { name: 'Linus Torvalds', email: 'linus@example.com' })).id;
    await created('deals', { contactId: contactIds.ada, title: 'Analytical engine', amount: cents.engine, stage: 'won' });
    await created('deals', { contactId: contactIds.ada, title: 'Notes', amount: cents.notes, stage: 'open' });
    await created('deals', { contactId: contactIds.grace, title: 'Compiler', amount: cents.compiler, stage: 'won' });
    await created('deals', { contactId: contactIds.grace, title: 'COBOL', amount: cents.cobol, stage: 'lost' });
    await created('deals', { contactId: contactIds.linus, title: 'Kernel', amount: cents.kernel }); // stage defaults to open
  });

  it('lists the contacts and deals it created, in creation order', async () => {
    const contacts = (await request(app.getHttpServer()).get('/plugins/crm/contacts').expect(200)).body;
    expect(contacts).toEqual([
      { id: contactIds.ada, name: 'Ada Lovelace', email: 'ada@example.com' },
      { id: contactIds.grace, name: 'Grace Hopper', email: 'grace@example.com' },
      { id: contactIds.linus, name: 'Linus Torvalds', email: 'linus@example.com' },
    ]);
    const deals = (await request(app.getHttpServer()).get('/plugins/crm/deals').expect(200)).body;
    expect(deals.map(({ contactId, title, amount, stage }: Record<string, unknown>) => ({ contactId, title, amount, stage }))).toEqual([
      { contactId: contactIds.ada, title: 'Analytical engine', amount: cents.engine, stage: 'won' },
      { contactId: contactIds.ada, title: 'Notes', amount: cents.notes, stage: 'open' },
      { contactId: contactIds.grace, title: 'Compiler', amount: cents.compiler, stage: 'won' },
      { contactId: contactIds.grace, title: 'COBOL', amount: cents.cobol, stage: 'lost' },
      { contactId: contactIds.linus, title: 'Kernel', amount: cents.kernel, stage: 'open' },
    ]);
  });

  it('exposes dealsOf to other plugins and the host', async () => {
    const deals = await app.get(PluginRegistry).call('crm', 'dealsOf', contactIds.grace);
    expect(deals.map(({ title }) => title)).toEqual(['Compiler', 'COBOL']);
  });

  it.each([
    ['a contact without fields', 'contacts', {}, ['name should not be empty', 'name must be a string', 'email must be an email']],
    ['a contact with a bad email', 'contacts', { name: 'Eve', email: 'not-an-email' }, ['email must be an email']],
    ['a contact with an id of its own', 'contacts', { id: 7, name: 'Eve', email: 'eve@example.com' }, ['property id should not exist']],
    ['a deal with a fractional amount', 'deals', { contactId: 1, title: 'Half', amount: 12.5 }, ['amount must be a whole number of cents']],
    ['a deal in an unknown stage', 'deals', { contactId: 1, title: 'Maybe', amount: 100, stage: 'pending' }, ['stage must be one of the following values: open, won, lost']],
    ['a deal for no contact', 'deals', { contactId: 9999, title: 'Ghost', amount: 100 }, 'contact 9999 does not exist'],
  ])('answers 400 to %s', async (_case, path, body, message) => {
    const response = await request(app.getHttpServer()).post(`/plugins/crm/${path}`).send(body).expect(400);
    expect(response.body).toEqual({ statusCode: 400, error: 'Bad Request', message });
  });

  it("reports the pipeline from crm's exposed methods and counts its runs in its own table", async () => {
    const first = (await request(app.getHttpServer()).get('/plugins/analytics/report').expect(200)).body;
    expect(first).toEqual({
      contacts: 3,
      byStage: {
        open: { count: 2, amount: cents.notes + cents.kernel },
        won: { count: 2, amount: cents.engine + cents.compiler },
        lost: { count: 1, amount: cents.cobol },
      },
      wonTotal: 170_000,
      topContact: { id: contactIds.ada, name: 'Ada Lovelace', won: 120_000 },
      runs: 1,
    });
    const second = (await request(app.getHttpServer()).get('/plugins/analytics/report').expect(200)).body;
    expect(second.runs).toBe(2);
    const rows = await app.get(DataSource).query('SELECT totalWon FROM "analytics_report_runs" ORDER BY id');
    expect(rows).toEqual([{ totalWon: 170_000 }, { totalWon: 170_000 }]);
  });
});
