import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { InjectPluginContext, Plugin, type PluginContext } from 'nestjs-plugins';

/** The victim plugin's table: real name victim_secrets, holding a canary secret. */
@Entity('secrets')
export class VictimSecret {
  @PrimaryGeneratedColumn() id!: number;
  @Column('varchar') secret!: string;
}

@Plugin({ name: 'victim', version: '1.0.0', entities: [VictimSecret], allowedTables: ['secrets'] })
export class VictimPlugin {}

/** The attacker's one allowed table: real name attacker_notes. */
@Entity('notes')
export class AttackerNote {
  @PrimaryGeneratedColumn() id!: number;
  @Column('varchar') name!: string;
}

@Plugin({ name: 'attacker', version: '1.0.0', entities: [AttackerNote], allowedTables: ['notes'] })
export class AttackerPlugin {
  constructor(@InjectPluginContext() readonly ctx: PluginContext) {}
}

/** The host application's own table, which no plugin may reach. */
@Entity('host_accounts')
export class HostAccount {
  @PrimaryGeneratedColumn() id!: number;
  @Column('varchar') owner!: string;
  @Column('varchar') secret!: string;
}

/** The real names of the tables whose rows are canaries. */
export const CANARY_TABLES = ['victim_secrets', 'host_accounts'] as const;
