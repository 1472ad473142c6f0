import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createHash, generateKeyPairSync, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { Header } from 'tar';
import { unsafeTarballEntry } from '../lib/install/tarball-entries.js';
import { PluginModule } from '../lib/module/plugin.module.js';
import { PluginManager } from '../lib/runtime/plugin.manager.js';
import type { Figure } from './harness.js';

/**
 * Registry installs: what verifying a 1 MB tarball costs (sha512, the registry signature, every
 * entry's header), and a small plugin with two dependencies installed end to end from a
 * registry on loopback, the sandboxed start reported apart (the plugin restarted alone).
 */

const LIBRARY = pathToFileURL(fileURLToPath(new URL('../lib/index.js', import.meta.url))).href;

function tarball(files: Record<string, string | Buffer>): Buffer {
  const blocks: Buffer[] = [];
  for (const [path, body] of Object.entries(files)) {
    const content = Buffer.from(body);
    const header = new Header({ path: `package/${path}`, type: 'File', size: content.length, mode: 0o644, mtime: new Date(0) });
    header.encode();
    blocks.push(header.block!, content, Buffer.alloc((512 - (content.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks));
}

interface Published {
  readonly manifest: { name: string; version: string; [key: string]: unknown };
  readonly tarball: Buffer;
}

/** A registry serving packuments signed with `key` and their tarballs, from memory. */
async function memoryRegistry(packages: readonly Published[], key: KeyObject): Promise<{ url: string; server: Server }> {
  let url = '';
  const integrityOf = (data: Buffer) => `sha512-${createHash('sha512').update(data).digest('base64')}`;
  const server = createServer((request, response) => {
    const path = decodeURIComponent(request.url!.slice(1));
    const tarballOf = packages.find(({ manifest }) => path === `${manifest.name}/-/${manifest.version}.tgz`);
    if (tarballOf !== undefined) return void response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(tarballOf.tarball);
    const versions = packages.filter(({ manifest }) => manifest.name === path);
    if (versions.length === 0) return void response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
    const packument = {
      name: path,
      'dist-tags': { latest: versions.at(-1)!.manifest.version },
      versions: Object.fromEntries(
        versions.map(({ manifest, tarball }) => {
          const integrity = integrityOf(tarball);
          const sig = sign('sha256', Buffer.from(`${manifest.name}@${manifest.version}:${integrity}`), key).toString('base64');
          return [manifest.version, { ...manifest, _id: `${manifest.name}@${manifest.version}`, dist: { integrity, tarball: `${url}${manifest.name}/-/${manifest.version}.tgz`, signatures: [{ keyid: 'SHA256:bench', sig }] } }];
        }),
      ),
    };
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(packument));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  return { url, server };
}

/** sha512 + signature + entries of a 1 MB tarball, as the install does after pacote's fetch. */
async function verificationMs(): Promise<number[]> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const data = tarball({ 'package.json': '{"name":"big","version":"1.0.0"}', 'blob.bin': randomBytes(1024 * 1024) });
  const samples: number[] = [];
  for (let run = 0; run < 30; run++) {
    const start = performance.now();
    const integrity = `sha512-${createHash('sha512').update(data).digest('base64')}`;
    const signature = sign('sha256', Buffer.from(`big@1.0.0:${integrity}`), privateKey);
    if (!verify('sha256', Buffer.from(`big@1.0.0:${integrity}`), publicKey, signature)) throw new Error('signature');
    if ((await unsafeTarballEntry(data, 50 * 1024 * 1024)) !== undefined) throw new Error('entries');
    samples.push(performance.now() - start);
  }
  return samples;
}

export async function runInstallBench(): Promise<Figure[]> {
  const { median } = await import('./harness.js');
  const verify1Mb = median(await verificationMs());
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const dependency = (name: string): Published => ({ manifest: { name, version: '1.0.0', main: 'index.js' }, tarball: tarball({ 'package.json': JSON.stringify({ name, version: '1.0.0', main: 'index.js' }), 'index.js': `module.exports = '${name}';` }) });
  const pluginManifest = { name: '@bench/plugin', version: '1.0.0', type: 'module', main: 'index.js', dependencies: { '@bench/one': '^1.0.0', '@bench/two': '^1.0.0' } };
  const plugin: Published = {
    manifest: pluginManifest,
    tarball: tarball({
      'package.json': JSON.stringify(pluginManifest),
      'index.js': `import { Expose, Plugin } from ${JSON.stringify(LIBRARY)};
import one from '@bench/one';
import two from '@bench/two';
class BenchInstalled { deps() { return [one, two]; } }
Expose()(BenchInstalled.prototype, 'deps', Object.getOwnPropertyDescriptor(BenchInstalled.prototype, 'deps'));
Plugin({ name: 'bench-installed', version: '1.0.0' })(BenchInstalled);
export default BenchInstalled;
`,
    }),
  };
  const registry = await memoryRegistry([dependency('@bench/one'), dependency('@bench/two'), plugin], privateKey);
  const key = { keyid: 'SHA256:bench', key: publicKey.export({ type: 'spki', format: 'der' }).toString('base64') };
  const installDir = await mkdtemp(join(tmpdir(), 'nestjs-plugins-bench-install-'));
  @Module({ imports: [PluginModule.forRoot({ registry: { url: registry.url, keys: [key] }, installDir })] })
  class BenchInstallHostModule {}
  const app = await NestFactory.createApplicationContext(BenchInstallHostModule, { logger: false });
  await app.init();
  const manager = app.get(PluginManager);
  const installs: number[] = [];
  const starts: number[] = [];
  try {
    for (let run = 0; run < 3; run++) {
      let start = performance.now();
      await manager.install('@bench/plugin@^1');
      installs.push(performance.now() - start);
      start = performance.now();
      await manager.reload('bench-installed');
      starts.push(performance.now() - start);
      await manager.uninstall('bench-installed');
    }
  } finally {
    await app.close();
    registry.server.close();
    await rm(installDir, { recursive: true, force: true });
  }
  return [
    { name: 'install: verify a 1 MB tarball (sha512, registry signature, every entry)', detail: `median of 30`, value: verify1Mb, unit: 'ms', target: { comparison: '≤', limit: 20 } },
    { name: 'install: a plugin with two dependencies, end to end on loopback', detail: `median of 3 (fetch, verify, unpack, Arborist, describe, sandboxed start)`, value: median(installs), unit: 'ms', target: { comparison: '≤', limit: 3000 } },
    { name: 'install: of which the sandboxed start (the installed plugin restarted alone)', detail: 'median of 3', value: median(starts), unit: 'ms' },
  ];
}
