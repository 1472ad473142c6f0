import 'reflect-metadata';
import { Plugin } from '../../../lib/decorators/plugin.decorator.js';
import { pluginModuleFileOf, rememberPluginModuleFile } from '../../../lib/metadata/plugin-module-file.js';

@Plugin({ name: 'declared-isolated', version: '1.0.0', isolation: 'thread' })
class DeclaredIsolatedPlugin {}

@Plugin({ name: 'declared-inline', version: '1.0.0' })
class DeclaredInlinePlugin {}

describe('the module file of a plugin class', () => {
  it('is the module that applied @Plugin({ isolation }), so its guest can import it', () => {
    expect(pluginModuleFileOf(DeclaredIsolatedPlugin)).toMatch(/plugin-module-file\.spec\.ts$/);
  });

  it('is not read from the stack for inline plugins (it costs every decorator otherwise)', () => {
    expect(pluginModuleFileOf(DeclaredInlinePlugin)).toBeUndefined();
  });

  it('is inherited by the fresh subclass a runtime load declares', () => {
    class Imported {}
    rememberPluginModuleFile(Imported, '/plugins/imported.plugin.js');
    expect(pluginModuleFileOf(class extends Imported {})).toBe('/plugins/imported.plugin.js');
  });
});
