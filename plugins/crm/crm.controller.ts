import { Body, Controller, Get, Post } from '@nestjs/common';
import type { Contact } from './contact.entity.js';
import { CreateContactDto } from './create-contact.dto.js';
import { CreateDealDto } from './create-deal.dto.js';
import { CrmService } from './crm.service.js';
import type { Deal } from './deal.entity.js';
import { validateBody } from './validate-body.pipe.js';

/** Mounted by the library under `/plugins/crm/`. */
@Controller()
export class CrmController {
  constructor(private readonly crm: CrmService) {}

  @Post('contacts')
  addContact(@Body(validateBody) { name, email }: CreateContactDto): Promise<Contact> {
    return this.crm.addContact(name, email);
  }

  @Get('contacts')
  listContacts(): Promise<Contact[]> {
    return this.crm.listContacts();
  }

  @Post('deals')
  addDeal(@Body(validateBody) { contactId, title, amount, stage }: CreateDealDto): Promise<Deal> {
    return this.crm.addDeal(contactId, title, amount, stage);
  }

  @Get('deals')
  listDeals(): Promise<Deal[]> {
    return this.crm.listDeals();
  }
}
