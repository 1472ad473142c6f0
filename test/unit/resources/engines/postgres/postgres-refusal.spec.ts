import { UNNAMED_OBJECT, refusedRelation } from '../../../../../lib/resources/engines/postgres/postgres-refusal.js';

describe('refusedRelation', () => {
  it.each([
    ['permission denied on an existing table', { code: '42501', message: 'permission denied for table secrets' }, 'secrets'],
    ['a missing table', { code: '42P01', message: 'relation "secrets" does not exist' }, 'secrets'],
    ['a missing qualified table', { code: '42P01', message: 'relation "public.secrets" does not exist' }, 'secrets'],
    ['a sequence', { code: '42501', message: 'permission denied for sequence secrets_id_seq' }, 'secrets_id_seq'],
    ['a view', { code: '42501', message: 'permission denied for view totals' }, 'totals'],
    ['a schema without usage', { code: '42501', message: 'permission denied for schema hidden' }, 'hidden'],
    ['a missing schema', { code: '3F000', message: 'schema "hidden" does not exist' }, 'hidden'],
    ['a dotted relation name, folded the same either way', { code: '42501', message: 'permission denied for table a.b' }, 'b'],
  ])('names the object of %s', (_what, error, name) => {
    expect(refusedRelation(error)).toBe(name);
  });

  it('answers a "does not exist" it cannot read with a fixed placeholder', () => {
    expect(refusedRelation({ code: '42P01', message: 'la relation « secrets » n’existe pas' })).toBe(UNNAMED_OBJECT);
  });

  it.each([
    ['a privilege failure on a function', { code: '42501', message: 'permission denied for function pg_read_file' }],
    ['a syntax error', { code: '42601', message: 'syntax error at or near "x"' }],
    ['an error without a code', { message: 'connection terminated' }],
  ])('is undefined for %s', (_what, error) => {
    expect(refusedRelation(error)).toBeUndefined();
  });
});
