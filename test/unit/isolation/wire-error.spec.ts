import { MethodNotExposedError, PluginCrashedError, PluginNotActiveError } from '../../../lib/errors/index.js';
import { fromWireError, isWireError, toWireError } from '../../../lib/isolation/wire-error.js';

/** What a MessagePort does to a value: structured clone. */
const acrossTheBoundary = <T>(value: T): T => structuredClone(value);

describe('errors across the boundary', () => {
  it('rebuilds a library error as its own class, with code, message and fields', () => {
    const original = new MethodNotExposedError('iso-echo', 'nope', 'echo');
    const rebuilt = fromWireError(acrossTheBoundary(toWireError(original)));
    expect(rebuilt).toBeInstanceOf(MethodNotExposedError);
    expect(rebuilt).toMatchObject({ name: 'MethodNotExposedError', code: 'PLUGIN_METHOD_NOT_EXPOSED', message: original.message, pluginName: 'iso-echo', didYouMean: 'echo' });
  });

  it('keeps the HTTP status of the class, and ignores a status sent as a field', () => {
    const rebuilt = fromWireError(acrossTheBoundary(toWireError(new PluginNotActiveError('iso-echo'))));
    expect(rebuilt).toMatchObject({ httpStatus: 404 });
    const forged = { ...toWireError(new PluginNotActiveError('iso-echo')), fields: { pluginName: 'iso-echo', httpStatus: 200 } };
    expect(fromWireError(acrossTheBoundary(forged))).toMatchObject({ httpStatus: 404, pluginName: 'iso-echo' });
    expect(fromWireError(acrossTheBoundary(toWireError(new PluginCrashedError('iso-echo', 'exited'))))).toMatchObject({ httpStatus: 500 });
  });

  it('keeps the name and code of an error of another class', () => {
    const original = Object.assign(new RangeError('too far'), { code: 'ERR_TOO_FAR', detail: { nested: true } });
    const rebuilt = fromWireError(acrossTheBoundary(toWireError(original)));
    expect(rebuilt).toBeInstanceOf(Error);
    expect(rebuilt).toMatchObject({ name: 'RangeError', code: 'ERR_TOO_FAR', message: 'too far' });
    expect(rebuilt).not.toHaveProperty('detail');
  });

  it('turns a thrown non-error into an Error with its text', () => {
    expect(fromWireError(toWireError('plain text'))).toMatchObject({ name: 'Error', message: 'plain text' });
    expect(isWireError({ message: 'x' })).toBe(false);
  });

  it('names the plugin in PluginCrashedError', () => {
    expect(new PluginCrashedError('iso-echo', 'exited with code 3')).toMatchObject({ code: 'PLUGIN_CRASHED', message: 'Plugin "iso-echo" crashed: exited with code 3' });
  });
});
