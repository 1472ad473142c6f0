import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { DealStage } from './deal-stage.js';

/** Stored in `crm_deals`. */
@Entity('deals')
export class Deal {
  @PrimaryGeneratedColumn() id!: number;

  @Column('integer') contactId!: number;

  @Column('varchar') title!: string;

  /** in cents, so sums stay exact */
  @Column('integer') amount!: number;

  @Column('varchar', { default: 'open' }) stage!: DealStage;
}
