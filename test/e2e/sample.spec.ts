import 'reflect-metadata';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { PluginRegistry } from 'nestjs-plugins';

const databasePath = join(tmpdir(), `nestjs-plugins-sample-${process.pid}-${Date.now()}.sqlite`);
let app: INestApplication;

beforeAll(async () => {
  // The app module reads DATABASE_PATH when it is evaluated, so import it only after setting it.
  process.env.DATABASE_PATH = databasePath;
  const { AppModule } = await import('../../sample/app.module.js');
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  app = moduleRef.createNestApplication({ logger: false });
  await app.init();
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

  it.each([
    ['no body', undefined],
    ['an empty userId', { userId: '', points: 1 }],
    ['non-numeric points', { userId: 'alice', points: '10' }],
  ])('rejects an award with %s', async (_case, body) => {
    const response = await request(app.getHttpServer()).post('/plugins/leaderboard/award').send(body).expect(400);
    expect(response.body.statusCode).toBe(400);
  });

  it('lists the three plugins as active', async () => {
    const response = await request(app.getHttpServer()).get('/plugins').expect(200);
    expect(response.body).toEqual([
      { name: 'leaderboard', version: '1.0.0', state: 'active', dependencies: [{ name: 'user-utils', version: '^1.0.0', reason: 'reads and awards scores' }] },
      { name: 'user-utils', version: '1.2.0', state: 'active', dependencies: [] },
      { name: 'cache-service', version: '1.0.0', state: 'active', dependencies: [] },
    ]);
  });

  it('exposes resetScore from a provider of user-utils', () => {
    const registry = app.get(PluginRegistry);
    registry.call('user-utils', 'addScore', 'carol', 3);
    registry.call('user-utils', 'resetScore', 'carol');
    expect(registry.call('user-utils', 'getScore', 'carol')).toBe(0);
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
});
