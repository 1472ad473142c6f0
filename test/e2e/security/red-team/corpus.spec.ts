import 'reflect-metadata';
import { POSTGRES_SKIPPED, databaseKinds } from '../../../support/test-databases.js';
import { describeEscapes, runAttack } from './support/attack-run.js';
import { loadPayloadCorpus } from './support/payload-corpus.js';
import { RedTeamTarget } from './support/red-team-target.js';
import { fillPlaceholders } from './support/sqlmap-placeholders.js';
import { STATEMENT_TEMPLATES, embed } from './support/statement-templates.js';

const corpus = loadPayloadCorpus();
/** Statements judged together between two looks at the catalog, canaries and files. */
const BATCH_SIZE = 250;

/**
 * Public SQL-injection corpora (payloads/, each list naming its source) embedded in the
 * places a plugin author's SQL would carry a value, sent through the attacker plugin's
 * ctx.database.executeQuery. Judged by effects only: secrets or canary table names in what
 * came back, canary rows, catalog objects, files, and elapsed time.
 */
describe('red team: public SQL-injection corpora against ctx.database.executeQuery', () => {
  it('holds at least 2,000 distinct payloads, each list naming its public source', () => {
    expect(corpus.payloads.length).toBeGreaterThanOrEqual(2000);
    for (const source of corpus.sources) expect(source.origin).toMatch(/^# source: github\.com\/\S+\/\S+ /);
  });

  describe.each(databaseKinds)('on %s', (kind) => {
    let target: RedTeamTarget;

    beforeAll(async () => {
      target = await RedTeamTarget.boot(kind);
    });
    afterAll(async () => {
      await target?.close();
    });

    it('lets no payload in any template reach another table, a catalog, a file or the clock', async () => {
      const statements = corpus.payloads.flatMap((payload) => STATEMENT_TEMPLATES.map((template) => embed(template, fillPlaceholders(payload.text))));
      const summary = await runAttack(target, statements, BATCH_SIZE);
      process.stdout.write(
        `red team ${kind}: payloads=${corpus.payloads.length} statements=${summary.statements} refused=${summary.outcomes.refused} ` +
          `ran=${summary.outcomes.ran} failed-in-engine=${summary.outcomes.failed} escapes=${summary.escapes.length} ` +
          `slowest=${Math.round(summary.slowestMs)}ms elapsed=${(summary.elapsedMs / 1000).toFixed(1)}s\n`,
      );
      expect(describeEscapes(summary.escapes)).toBe('');
    }, 300_000);
  });

  if (!databaseKinds.includes('postgres')) {
    describe.skip(POSTGRES_SKIPPED, () => {
      it('runs the red-team corpus on PostgreSQL', () => undefined);
    });
  }
});
