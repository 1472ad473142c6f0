import { Column, Entity, PrimaryGeneratedColumn, Table, TableColumn, type MigrationInterface, type QueryRunner, type Repository } from 'typeorm';
import { Expose, InjectPluginRepository, Plugin } from 'nestjs-plugins';

/** The plugin's table under its real name: migrations write real names. */
export const NOTES_TABLE = 'notes_notes';

export class CreateNotes1700000000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: NOTES_TABLE,
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'title', type: 'varchar', length: '255' },
        ],
      }),
    );
    await queryRunner.query(`INSERT INTO "${NOTES_TABLE}" ("title") VALUES ('seed')`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable(NOTES_TABLE);
  }
}

/** v2: `title` becomes `heading`, and a NOT NULL `priority` with a default arrives. */
export class RenameTitle1700000001000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.renameColumn(NOTES_TABLE, 'title', 'heading');
    await queryRunner.addColumn(NOTES_TABLE, new TableColumn({ name: 'priority', type: 'integer', isNullable: false, default: 0 }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn(NOTES_TABLE, 'priority');
    await queryRunner.renameColumn(NOTES_TABLE, 'heading', 'title');
  }
}

/** v3, broken: its second statement fails halfway, at the row with id 3 (after rows 1 and 2 were updated). */
export class AddExtra1700000002000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(NOTES_TABLE, new TableColumn({ name: 'extra', type: 'varchar', length: '255', isNullable: true }));
    await queryRunner.query(
      `UPDATE "${NOTES_TABLE}" SET "priority" = "priority" + 1, "heading" = CASE WHEN "id" = 3 THEN NULL ELSE "heading" END`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn(NOTES_TABLE, 'extra');
  }
}

/** v3 whose migration works but whose onPluginInit fails: the migration must be undone by its down. */
export class AddTag1700000003000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(NOTES_TABLE, new TableColumn({ name: 'tag', type: 'varchar', length: '255', isNullable: true }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn(NOTES_TABLE, 'tag');
  }
}

@Entity('notes')
export class NoteV1 {
  @PrimaryGeneratedColumn() id!: number;
  @Column('varchar', { length: 255 }) title!: string;
}

@Entity('notes')
export class NoteV2 {
  @PrimaryGeneratedColumn() id!: number;
  @Column('varchar', { length: 255 }) heading!: string;
  @Column('integer', { default: 0 }) priority!: number;
}

@Plugin({ name: 'notes', version: '1.0.0', entities: [NoteV1], allowedTables: ['notes'], migrations: [CreateNotes1700000000000] })
export class NotesV1 {
  constructor(@InjectPluginRepository(NoteV1) private readonly notes: Repository<NoteV1>) {}

  @Expose() version(): string {
    return '1.0.0';
  }

  @Expose() async slow(ms: number): Promise<string> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return 'v1 finished';
  }

  @Expose() async add(title: string): Promise<number> {
    return (await this.notes.save({ title })).id;
  }

  @Expose() list(): Promise<NoteV1[]> {
    return this.notes.find({ order: { id: 'ASC' } });
  }
}

@Plugin({
  name: 'notes',
  version: '2.0.0',
  entities: [NoteV2],
  allowedTables: ['notes'],
  // Listed out of order on purpose: they run in the order of the timestamps ending their names.
  migrations: [RenameTitle1700000001000, CreateNotes1700000000000],
})
export class NotesV2 {
  constructor(@InjectPluginRepository(NoteV2) private readonly notes: Repository<NoteV2>) {}

  @Expose() version(): string {
    return '2.0.0';
  }

  @Expose() list(): Promise<NoteV2[]> {
    return this.notes.find({ order: { id: 'ASC' } });
  }
}

@Plugin({
  name: 'notes',
  version: '3.0.0',
  entities: [NoteV2],
  allowedTables: ['notes'],
  migrations: [CreateNotes1700000000000, RenameTitle1700000001000, AddExtra1700000002000],
})
export class NotesV3Broken {
  @Expose() version(): string {
    return '3.0.0';
  }
}

@Plugin({
  name: 'notes',
  version: '3.0.0',
  entities: [NoteV2],
  allowedTables: ['notes'],
  migrations: [CreateNotes1700000000000, RenameTitle1700000001000, AddTag1700000003000],
})
export class NotesV3InitFails {
  onPluginInit(): void {
    throw new Error('v3 cannot start');
  }
}

/** Entities and no migrations: needs a DataSource that synchronizes. */
@Entity('items')
export class Item {
  @PrimaryGeneratedColumn() id!: number;
}

@Plugin({ name: 'legacy', version: '1.0.0', entities: [Item], allowedTables: ['items'] })
export class LegacyPlugin {}

@Plugin({ name: 'notes-reader', version: '1.0.0', dependencies: ['notes'] })
export class NotesReader {}
