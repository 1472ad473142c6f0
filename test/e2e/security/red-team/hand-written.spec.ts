import 'reflect-metadata';
import { dirname } from 'node:path';
import { POSTGRES_SKIPPED, databaseKinds } from '../../../support/test-databases.js';
import { describeEscapes } from './support/attack-run.js';
import { runCases } from './support/case-run.js';
import { SLEEP_SECONDS } from './support/sqlmap-placeholders.js';
import { RedTeamTarget } from './support/red-team-target.js';
import { HAND_WRITTEN_CASES } from './hand-written-cases.js';

/** Hand-written attacks per class, judged by effects and, where they name something, as oracles. */
describe('red team: hand-written attacks on ctx.database.executeQuery', () => {
  describe.each(databaseKinds)('on %s', (kind) => {
    let target: RedTeamTarget;

    beforeAll(async () => {
      target = await RedTeamTarget.boot(kind);
    });
    afterAll(async () => {
      await target?.close();
    });

    const classes = Object.entries(HAND_WRITTEN_CASES).filter(([, cases]) => cases[kind] !== undefined);
    it.each(classes.map(([name, cases]) => [name, cases[kind]!] as const))('%s: no escape', async (_name, cases) => {
      const escapes = await runCases(target, cases);
      expect(describeEscapes(escapes)).toBe('');
    }, 60_000);

    // Last: it overwrites the victim's secret and leaves a table behind.
    it('sees escapes when the same cases go through the host connection instead (the judge is not blind)', async () => {
      // The host connection knows the attacker's table by its real name only.
      const beside = dirname(target.canaryFile);
      const sqliteOnly = [`SELECT id FROM attacker_notes WHERE '{SECRET}' IN (SELECT secret FROM victim_secrets)`, `VACUUM INTO '${beside}/judge-check.sqlite'`];
      const cases = [
        `SELECT secret FROM host_accounts`,
        `CREATE TABLE loot (x int)`,
        `SELECT * FROM attacker_notes JOIN {TABLE} ON 1 = 0`,
        ...(kind === 'sqlite' ? sqliteOnly : [`SELECT pg_sleep(${SLEEP_SECONDS})`, `SELECT pg_read_file('{FILE}')`]),
        // Last: the oracle above needs the victim's secret as it was.
        `UPDATE victim_secrets SET secret = 'overwritten'`,
      ];
      const escapes = await runCases(target.unguarded(), cases);
      expect(escapes.map((escape) => escape.statements[0])).toHaveLength(cases.length);
    }, 60_000);
  });

  if (!databaseKinds.includes('postgres')) {
    describe.skip(POSTGRES_SKIPPED, () => {
      it('runs the hand-written attacks on PostgreSQL', () => undefined);
    });
  }
});
