import { PluginInstallError } from '../../../lib/errors/install.errors.js';
import { optionalPeer } from '../../../lib/install/optional-installer-packages.js';

describe('the installer packages are optional peers', () => {
  it('a host without one is told which package to add', async () => {
    const refusal = await optionalPeer('nestjs-plugins-absent-peer', '@acme/x@^1').catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(PluginInstallError);
    expect(refusal).toMatchObject({
      reason: 'INSTALLER_MISSING',
      httpStatus: 501,
      message: 'Cannot install "@acme/x@^1": installing from a registry needs the package "nestjs-plugins-absent-peer": add it to the application (npm install nestjs-plugins-absent-peer) (INSTALLER_MISSING)',
    });
  });

  it('loads a present one (a CommonJS module through its default export)', async () => {
    const pacote = await optionalPeer<{ manifest: unknown }>('pacote', '@acme/x@^1');
    expect(typeof pacote.manifest).toBe('function');
  });
});
