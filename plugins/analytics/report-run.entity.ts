import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One computed pipeline report, stored in `analytics_report_runs`. */
@Entity('report_runs')
export class ReportRun {
  @PrimaryGeneratedColumn() id!: number;

  @CreateDateColumn() createdAt!: Date;

  /** in cents */
  @Column('integer') totalWon!: number;
}
