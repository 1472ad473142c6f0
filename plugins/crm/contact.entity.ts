import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Stored in `crm_contacts`. */
@Entity('contacts')
export class Contact {
  @PrimaryGeneratedColumn() id!: number;

  @Column('varchar') name!: string;

  @Column('varchar') email!: string;
}
