/**
 * Places where a plugin author's own SQL would carry a value, the payload standing in for it.
 * `notes` is the one table the attacker is allowed (its real name is attacker_notes).
 */
export const STATEMENT_TEMPLATES: readonly string[] = [
  `SELECT id, name FROM notes WHERE name = '<P>'`,
  `SELECT id, name FROM notes WHERE id = <P>`,
  `SELECT <P> FROM notes`,
  `SELECT id, name FROM notes ORDER BY <P>`,
  `UPDATE notes SET name = '<P>' WHERE id = 1`,
  `INSERT INTO notes (name) VALUES ('<P>')`,
  `<P>`,
];

export function embed(template: string, payload: string): string {
  return template.split('<P>').join(payload);
}
