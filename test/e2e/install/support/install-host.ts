import { existsSync, readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { CompiledLibrary } from '../../isolation/support/isolation-harness.js';

/** An application of the compiled library with `forRoot(options)` (on `database`, default SQLite in memory); closed by the caller. */
export async function installHost(lib: CompiledLibrary, { database, ...options }: Record<string, unknown>): Promise<INestApplicationContext> {
  const connection = (database as object | undefined) ?? { type: 'better-sqlite3', database: ':memory:' };
  const moduleRef = await Test.createTestingModule({
    imports: [TypeOrmModule.forRoot({ ...connection, synchronize: true } as never), lib.PluginModule.forRoot(options as never)],
  }).compile();
  moduleRef.useLogger(false);
  return moduleRef.init();
}

/** Every path under `folder`, relative and sorted: what a refusal must leave exactly as it was. */
export async function treeOf(folder: string): Promise<string[]> {
  if (!existsSync(folder)) return [];
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries.map((entry) => relative(folder, join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name))).sort();
}

/** The canary's lines: `module <pid>` where the plugin's module ran, `<package> <hook>` for an install script that ran. */
export function canaryLines(canary: string): string[] {
  return existsSync(canary) ? readFileSync(canary, 'utf8').split('\n').filter(Boolean) : [];
}
