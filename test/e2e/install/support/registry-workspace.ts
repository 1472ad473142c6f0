import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { loadCompiledLibrary, type CompiledLibrary } from '../../isolation/support/isolation-harness.js';
import { startVerdaccio, type Verdaccio } from './verdaccio.js';

type PackedPackage = { manifest: Record<string, unknown> & { name: string; version: string }; tarball: Buffer };

/** What every install suite starts from: the compiled library, a Verdaccio, a folder under test/.tmp and its canary file. */
export interface RegistryWorkspace {
  readonly lib: CompiledLibrary;
  readonly registry: Verdaccio;
  readonly folder: string;
  /** where fixture packages write a line when their code or an install script runs */
  readonly canary: string;
  publish(packed: Promise<PackedPackage>): Promise<void>;
  /** stops the registry and removes the folder */
  close(): Promise<void>;
}

export async function openRegistryWorkspace(folderPrefix: string): Promise<RegistryWorkspace> {
  const lib = await loadCompiledLibrary();
  await mkdir(join(process.cwd(), 'test', '.tmp'), { recursive: true });
  const folder = await mkdtemp(join(process.cwd(), 'test', '.tmp', folderPrefix));
  const registry = await startVerdaccio().catch(async (error: unknown) => {
    await rm(folder, { recursive: true, force: true });
    throw error;
  });
  return {
    lib,
    registry,
    folder,
    canary: join(folder, 'canary.log'),
    publish: async (packed) => {
      const { manifest, tarball } = await packed;
      await registry.publish(manifest, tarball);
    },
    close: async () => {
      await registry.stop();
      await rm(folder, { recursive: true, force: true });
    },
  };
}
