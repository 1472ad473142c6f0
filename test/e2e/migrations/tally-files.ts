/** Plugin files of `tally` (no entities; its table `counts` is `tally_counts`), as a build would emit them. */

/** A plugin file of `tally` at `version`, with one migration per entry of `columns` (each adds that column). */
export function tallySource(version: string, columns: readonly string[]): string {
  const migrations = columns.map(
    (column, index) => `class Add_${column}_${1700000000000 + index} {
  async up(queryRunner) {
    ${index === 0 ? `await queryRunner.query('CREATE TABLE "tally_counts" ("id" integer PRIMARY KEY)');` : ''}
    await queryRunner.query('ALTER TABLE "tally_counts" ADD COLUMN "${column}" integer');
  }
  async down(queryRunner) {
    ${index === 0 ? `await queryRunner.query('DROP TABLE "tally_counts"');` : `await queryRunner.query('ALTER TABLE "tally_counts" DROP COLUMN "${column}"');`}
  }
}`,
  );
  return `import { Expose, Plugin } from 'nestjs-plugins';
${migrations.join('\n')}
class TallyPlugin {
  version() { return ${JSON.stringify(version)}; }
}
Expose()(TallyPlugin.prototype, 'version', Object.getOwnPropertyDescriptor(TallyPlugin.prototype, 'version'));
Plugin({ name: 'tally', version: ${JSON.stringify(version)}, allowedTables: ['counts'], migrations: [${columns.map((column, index) => `Add_${column}_${1700000000000 + index}`).join(', ')}] })(TallyPlugin);
export default TallyPlugin;
`;
}
