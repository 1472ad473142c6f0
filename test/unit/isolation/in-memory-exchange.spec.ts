import 'reflect-metadata';
import { Controller, Module, forwardRef } from '@nestjs/common';
import { createRequire } from 'node:module';
import type { Request, Response } from 'express';
import { exchangeInMemory, type RequestListener } from '../../../lib/isolation/guest/in-memory-exchange.js';
import { declaresControllers } from '../../../lib/isolation/guest/guest-controllers.js';

const express = createRequire(import.meta.url)('express') as typeof import('express');

describe('exchangeInMemory', () => {
  const app = express();
  app.get('/items/:id', (req: Request, res: Response) => {
    res.status(201).set('x-tag', 'red').json({ id: req.params.id, q: req.query.q, body: (req as Request & { body: unknown }).body });
  });
  app.get('/big', (_req: Request, res: Response) => {
    res.send('x'.repeat(2000));
  });
  const listener = app as unknown as RequestListener;

  it('runs the request through the listener and collects status, headers and bytes, the body as the host parsed it', async () => {
    const answer = await exchangeInMemory(listener, { method: 'GET', url: '/items/3?q=blue', headers: { host: 'h' }, body: { k: 1 } }, 1000);
    expect(answer.status).toBe(201);
    expect(answer.headers['x-tag']).toBe('red');
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(Buffer.from(answer.body).toString())).toEqual({ id: '3', q: 'blue', body: { k: 1 } });
  });

  it("answers with Express's 404 for a path without a route", async () => {
    const answer = await exchangeInMemory(listener, { method: 'GET', url: '/nope', headers: {}, body: undefined }, 1000);
    expect(answer.status).toBe(404);
  });

  it('rejects an answer larger than the cap', async () => {
    await expect(exchangeInMemory(listener, { method: 'GET', url: '/big', headers: {}, body: undefined }, 1000)).rejects.toThrow('its answer is larger than 1000 bytes');
  });
});

describe('declaresControllers', () => {
  @Controller('c')
  class SomeController {}
  @Module({ controllers: [SomeController] })
  class WithControllers {}
  @Module({})
  class Plain {}

  it('finds controllers in the module, in modules it imports (classes, dynamic modules, forward references, promises), and none where there are none', async () => {
    expect(await declaresControllers(WithControllers)).toBe(true);
    @Module({ imports: [Plain, forwardRef(() => WithControllers)] })
    class ImportsByReference {}
    expect(await declaresControllers(ImportsByReference)).toBe(true);
    @Module({ imports: [Promise.resolve({ module: Plain, controllers: [SomeController] }) as never] })
    class ImportsDynamic {}
    expect(await declaresControllers(ImportsDynamic)).toBe(true);
    @Module({ imports: [Plain] })
    class WithoutControllers {}
    expect(await declaresControllers(WithoutControllers)).toBe(false);
  });
});
