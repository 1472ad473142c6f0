import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';

interface Packument {
  name: string;
  versions: Record<string, { version: string; dist: Record<string, unknown> }>;
}

/** What the proxy does to what it relays. */
export type SigningMode = 'valid' | 'missing' | 'wrong-key' | 'unknown-keyid' | 'other-integrity' | 'tampered-tarball' | 'republished';

export interface SigningProxy {
  readonly url: string;
  /** the key a host must trust (npm's `{ keyid, key }` form) */
  readonly key: { keyid: string; key: string };
  mode: SigningMode;
  stop(): Promise<void>;
}

const KEY_ID = 'SHA256:test-registry-key';

function keyPair(): { privateKey: KeyObject; key: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { privateKey, key: publicKey.export({ type: 'spki', format: 'der' }).toString('base64') };
}

/**
 * A registry that signs: it relays `upstream` (Verdaccio, which does not sign) and adds to every
 * version of a packument `dist.signatures` over `<name>@<version>:<integrity>` made with an ECDSA
 * P-256 key of its own, as the public registry does; `mode` spoils them (or the tarball) on purpose.
 */
export async function startSigningProxy(upstream: string): Promise<SigningProxy> {
  const trusted = keyPair();
  const stranger = keyPair();
  let url = '';
  const proxy: SigningProxy = {
    get url() {
      return url;
    },
    key: { keyid: KEY_ID, key: trusted.key },
    mode: 'valid',
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const signatures = (name: string, version: string, integrity: string) => {
    const over = (text: string, privateKey: KeyObject) => sign('sha256', Buffer.from(text), privateKey).toString('base64');
    const message = `${name}@${version}:${integrity}`;
    if (proxy.mode === 'missing') return undefined;
    if (proxy.mode === 'wrong-key') return [{ keyid: KEY_ID, sig: over(message, stranger.privateKey) }];
    if (proxy.mode === 'unknown-keyid') return [{ keyid: 'SHA256:somebody-else', sig: over(message, stranger.privateKey) }];
    if (proxy.mode === 'other-integrity') return [{ keyid: KEY_ID, sig: over(`${name}@${version}:sha512-${Buffer.alloc(64, 7).toString('base64')}`, trusted.privateKey) }];
    return [{ keyid: KEY_ID, sig: over(message, trusted.privateKey) }];
  };
  const server: Server = createServer((request, response) => {
    void (async () => {
      const upstreamResponse = await fetch(new URL(request.url!.slice(1), upstream), { headers: { accept: String(request.headers.accept ?? '*/*') } });
      if (!upstreamResponse.ok || request.url!.includes('/-/')) {
        const body = Buffer.from(await upstreamResponse.arrayBuffer());
        if (upstreamResponse.ok && proxy.mode === 'tampered-tarball') body[body.length - 20] ^= 0xff;
        response.writeHead(upstreamResponse.status, { 'content-type': upstreamResponse.headers.get('content-type') ?? 'application/octet-stream' }).end(body);
        return;
      }
      const packument = (await upstreamResponse.json()) as Packument;
      // 'republished': every version of @acme/x carries, validly signed, the tarball of @acme/twin at that version.
      const twin = proxy.mode === 'republished' && packument.name === '@acme/x' ? ((await (await fetch(new URL('@acme%2ftwin', upstream))).json()) as Packument) : undefined;
      for (const manifest of Object.values(packument.versions)) {
        if (twin?.versions[manifest.version] !== undefined) manifest.dist = { ...twin.versions[manifest.version].dist };
        manifest.dist.tarball = String(manifest.dist.tarball).replace(upstream, url);
        const signed = signatures(packument.name, manifest.version, String(manifest.dist.integrity));
        if (signed !== undefined) manifest.dist.signatures = signed;
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(packument));
    })().catch((error: Error) => response.writeHead(502).end(error.message));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  return proxy;
}
