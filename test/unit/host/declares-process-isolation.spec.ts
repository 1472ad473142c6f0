import { declaresProcessIsolation } from '../../../lib/host/declares-process-isolation.js';

describe('declaresProcessIsolation', () => {
  it.each([
    `@Plugin({ name: 'x', version: '1.0.0', isolation: 'process' })`,
    `Plugin({ isolation: "process" })(X)`,
    'isolation:`process`',
    `isolation :\n    'process'`,
    `{ "isolation": "process" }`,
    `{ 'isolation':'process' }`,
    `__decorate([Plugin({ name: "x", isolation: "process", version: "1.0.0" })], X);`,
  ])('sees %s', (text) => {
    expect(declaresProcessIsolation(text)).toBe(true);
  });

  it.each([
    ['another mode', `isolation: 'thread'`],
    ['a computed value', `isolation: ['pro', 'cess'].join('')`],
    ['a variable', `isolation: processMode`],
    ['a longer word', `isolation: 'processes'`],
    ['mismatched quotes', `isolation: 'process"`],
    ['another key', `myisolation: 'process'`],
    ['no declaration', `export default class X {}`],
  ])('does not see %s', (_, text) => {
    expect(declaresProcessIsolation(text)).toBe(false);
  });
});
