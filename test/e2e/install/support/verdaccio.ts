import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startLocalServer } from '../../../support/local-server.js';

export interface Verdaccio {
  /** `http://127.0.0.1:<port>/` */
  readonly url: string;
  /** publishes a tarball as `manifest.name@manifest.version` (anonymous publishing is open in its config) */
  publish(manifest: Record<string, unknown> & { name: string; version: string }, tarball: Buffer): Promise<void>;
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 30_000;

/**
 * Verdaccio (node_modules/.bin/verdaccio) on a free loopback port, with its own configuration and
 * storage in a temporary folder, no uplink (nothing reaches the internet), anyone may publish.
 * `stop` ends the process by its id and removes the folder.
 */
export async function startVerdaccio(): Promise<Verdaccio> {
  const folder = await mkdtemp(join(tmpdir(), 'nestjs-plugins-verdaccio-'));
  const port = await freePort();
  const config = [
    `storage: ${join(folder, 'storage')}`,
    'auth:',
    '  htpasswd:',
    `    file: ${join(folder, 'htpasswd')}`,
    '    max_users: -1',
    'uplinks: {}',
    'packages:',
    "  '**':",
    '    access: $all',
    '    publish: $all',
    '    unpublish: $all',
    'log: { type: stdout, format: json, level: error }',
  ].join('\n');
  await writeFile(join(folder, 'config.yaml'), config);
  const binary = join(process.cwd(), 'node_modules', '.bin', 'verdaccio');
  const url = `http://127.0.0.1:${port}/`;
  const { stop } = await startLocalServer({
    name: `verdaccio on port ${port}`,
    command: process.execPath,
    args: [binary, '--config', join(folder, 'config.yaml'), '--listen', `127.0.0.1:${port}`],
    ready: () => fetch(`${url}-/ping`).then((response) => response.ok, () => false),
    startupTimeoutMs: STARTUP_TIMEOUT_MS,
    pollIntervalMs: 100,
    afterStop: () => rm(folder, { recursive: true, force: true }),
  });
  return { url, stop, publish: (manifest, tarball) => publish(url, manifest, tarball) };
}

async function publish(url: string, manifest: Record<string, unknown> & { name: string; version: string }, tarball: Buffer): Promise<void> {
  const file = `${manifest.name.split('/').pop()}-${manifest.version}.tgz`;
  const integrity = `sha512-${createHash('sha512').update(tarball).digest('base64')}`;
  const body = {
    _id: manifest.name,
    name: manifest.name,
    'dist-tags': { latest: manifest.version },
    versions: {
      [manifest.version]: {
        ...manifest,
        _id: `${manifest.name}@${manifest.version}`,
        dist: { integrity, shasum: createHash('sha1').update(tarball).digest('hex'), tarball: `${url}${manifest.name}/-/${file}` },
      },
    },
    _attachments: { [file]: { content_type: 'application/octet-stream', data: tarball.toString('base64'), length: tarball.length } },
  };
  const response = await fetch(`${url}${manifest.name.replace('/', '%2f')}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`publishing ${manifest.name}@${manifest.version} failed: ${response.status} ${await response.text()}`);
}
