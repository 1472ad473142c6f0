import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One row per user. The library stores it in `user-utils_user_scores`. */
@Entity('user_scores')
export class UserScore {
  @PrimaryGeneratedColumn() id!: number;

  @Column('varchar', { unique: true }) userId!: string;

  @Column('integer', { default: 0 }) score!: number;
}
