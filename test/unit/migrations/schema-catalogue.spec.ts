import { catalogueDifferences } from '../../../lib/migrations/schema-catalogue.js';

describe('catalogueDifferences', () => {
  const before = new Map([
    ['table "a_note"', 'primary key (id)'],
    ['column "a_note"."text"', 'varchar NOT NULL'],
    ['index "a_note"."IDX_text"', '(text)'],
  ]);

  it('is empty for the same facts', () => {
    expect(catalogueDifferences(before, new Map(before))).toEqual([]);
  });

  it('lists what is missing, what changed and what is new, in that order', () => {
    const after = new Map([
      ['table "a_note"', 'primary key (id)'],
      ['column "a_note"."text"', 'text NULL'],
      ['sequence "a_counter"', 'exists'],
    ]);
    expect(catalogueDifferences(before, after)).toEqual([
      'column "a_note"."text" changed: varchar NOT NULL → text NULL',
      'index "a_note"."IDX_text" is missing',
      'sequence "a_counter" is new: exists',
    ]);
  });
});
