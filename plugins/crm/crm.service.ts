import { Injectable } from '@nestjs/common';
import { Expose, InjectPluginRepository } from 'nestjs-plugins';
import type { Repository } from 'typeorm';
import { Contact } from './contact.entity.js';
import type { DealStage } from './deal-stage.js';
import { Deal } from './deal.entity.js';
import { UnknownContactError } from './unknown-contact.error.js';

/** Contacts and deals, for crm's controller and, through `@Expose`, for other plugins. */
@Injectable()
export class CrmService {
  constructor(
    @InjectPluginRepository(Contact) private readonly contacts: Repository<Contact>,
    @InjectPluginRepository(Deal) private readonly deals: Repository<Deal>,
  ) {}

  @Expose()
  addContact(name: string, email: string): Promise<Contact> {
    return this.contacts.save(this.contacts.create({ name, email }));
  }

  @Expose()
  listContacts(): Promise<Contact[]> {
    return this.contacts.find({ order: { id: 'ASC' } });
  }

  /** `amount` in cents. Throws UnknownContactError when `contactId` is no contact. */
  @Expose()
  async addDeal(contactId: number, title: string, amount: number, stage: DealStage = 'open'): Promise<Deal> {
    // Contacts are never deleted, so the contact cannot disappear between this check and the insert.
    if (!(await this.contacts.existsBy({ id: contactId }))) throw new UnknownContactError(contactId);
    return this.deals.save(this.deals.create({ contactId, title, amount, stage }));
  }

  @Expose()
  listDeals(): Promise<Deal[]> {
    return this.deals.find({ order: { id: 'ASC' } });
  }

  @Expose()
  dealsOf(contactId: number): Promise<Deal[]> {
    return this.deals.find({ where: { contactId }, order: { id: 'ASC' } });
  }
}
