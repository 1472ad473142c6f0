import 'reflect-metadata';
import { AfterLoad, Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { describeEntities } from '../../../lib/isolation/guest/describe-entities.js';
import { describedEntitySchemas } from '../../../lib/isolation/host/described-entities.js';

@Entity('ledger')
@Index((ledger: Record<string, string>) => [ledger.account, ledger.day])
class Ledger {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column() account!: string;
  @Column() amount!: number;
  @Column({ type: 'varchar', length: 10, nullable: true, unique: true }) day!: string | null;
  @Column({ type: 'datetime', default: () => 'CURRENT_TIMESTAMP' }) at!: Date;
}

class Money {}

@Entity('wallets')
class Wallet {
  @PrimaryColumn({ type: 'integer' }) id!: number;
  @Column({ type: 'integer', transformer: { to: (value: number) => value, from: (value: number) => value } }) cents!: number;
  @Column({ type: Money as never }) money!: Money;
  @AfterLoad() loaded(): void {}
}

class NotAnEntity {}

describe('describeEntities (guest) and describedEntitySchemas (host)', () => {
  it('turns decorator metadata into plain schema options, and back into EntitySchemas with a class of their own', async () => {
    const problems: string[] = [];
    const [wire] = await describeEntities([Ledger], problems);
    expect(problems).toEqual([]);
    expect(structuredClone(wire)).toEqual(wire);
    expect(wire).toEqual({
      name: 'Ledger',
      options: {
        tableName: 'ledger',
        columns: {
          id: { primary: true, type: 'uuid', generated: 'uuid' },
          account: { type: { $constructor: 'String' } },
          amount: { type: { $constructor: 'Number' } },
          day: { type: 'varchar', length: 10, nullable: true },
          at: { type: 'datetime', default: { $sql: 'CURRENT_TIMESTAMP' } },
        },
        relations: {},
        indices: [
          { columns: ['account', 'day'], unique: false, spatial: false, fulltext: false, nullFiltered: false, synchronize: true, sparse: false, background: false, concurrent: false },
        ],
        uniques: [{ columns: ['day'] }],
        checks: [],
      },
    });
    const [schema] = await describedEntitySchemas([wire]);
    const columns = schema.options.columns as Record<string, { type?: unknown; default?: unknown }>;
    expect(columns.account.type).toBe(String);
    expect((columns.at.default as () => string)()).toBe('CURRENT_TIMESTAMP');
    expect(schema.options.target).toEqual(expect.any(Function));
    expect(schema.options.target).not.toBe(Ledger);
    expect((schema.options.target as Function).name).toBe('Ledger');
  });

  it('names each entity and reason it cannot describe: code, unknown types, no @Entity()', async () => {
    const problems: string[] = [];
    expect(await describeEntities([Wallet, NotAnEntity], problems)).toEqual([]);
    expect(problems).toEqual([
      "entity Wallet uses entity listeners (@BeforeInsert, @AfterLoad, …), which a 'process' plugin cannot declare yet: its entities are described to the host as data",
      'entity Wallet column cents has a transformer: it is code, and would have to run on the host',
      "entity Wallet column money has the type Money; give it a database type (@Column({ type: '…' }))",
      'entity NotAnEntity is not decorated with @Entity()',
    ]);
  });
});
