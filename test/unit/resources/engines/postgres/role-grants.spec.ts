import {
  SEQUENCE_PRIVILEGES,
  TABLE_PRIVILEGES,
  grantStatements,
  quoteIdentifier,
  sameGrants,
  type RelationGrant,
} from '../../../../../lib/resources/engines/postgres/role-grants.js';

const table = (name: string, privileges: readonly string[] = TABLE_PRIVILEGES): RelationGrant => ({ name, kind: 'table', privileges });
const sequence = (name: string): RelationGrant => ({ name, kind: 'sequence', privileges: SEQUENCE_PRIVILEGES });

describe('grantStatements', () => {
  it('grants what is missing', () => {
    expect(grantStatements('"r"', [table('"p_notes"'), sequence('"p_notes_id_seq"')], [])).toEqual([
      'GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE "p_notes" TO "r"',
      'GRANT USAGE ON SEQUENCE "p_notes_id_seq" TO "r"',
    ]);
  });

  it('revokes what left the policy and replaces privileges that differ', () => {
    const current = [table('shared_ledger'), table('"p_notes"', ['SELECT', 'TRUNCATE'])];
    expect(grantStatements('"r"', [table('"p_notes"')], current)).toEqual([
      'REVOKE ALL ON TABLE shared_ledger FROM "r"',
      'REVOKE ALL ON TABLE "p_notes" FROM "r"',
      'GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE "p_notes" TO "r"',
    ]);
  });

  it('does nothing when the role already holds exactly the policy', () => {
    const desired = [table('"p_notes"'), sequence('"p_notes_id_seq"')];
    expect(grantStatements('"r"', desired, [...desired].reverse())).toEqual([]);
    expect(sameGrants(desired, [...desired].reverse())).toBe(true);
  });

  it('tells a role holding more, or other, privileges from one holding exactly the policy', () => {
    expect(sameGrants([table('a')], [table('a'), table('b')])).toBe(false);
    expect(sameGrants([table('a')], [table('a', ['SELECT'])])).toBe(false);
  });
});

describe('quoteIdentifier', () => {
  it('doubles embedded quotes', () => {
    expect(quoteIdentifier('a"b')).toBe('"a""b"');
  });
});
