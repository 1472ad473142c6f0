import { Plugin } from 'nestjs-plugins';
import { Contact } from './contact.entity.js';
import { CrmController } from './crm.controller.js';
import { CrmService } from './crm.service.js';
import { Deal } from './deal.entity.js';
import { CreateContactsAndDeals1765000000000 } from './migrations/1765000000000-create-contacts-and-deals.js';

/** Contacts and their deals, in crm's own tables; the methods others may call are on CrmService. */
@Plugin({
  name: 'crm',
  version: '1.0.0',
  description: 'Contacts and deals',
  entities: [Contact, Deal],
  migrations: [CreateContactsAndDeals1765000000000],
  allowedTables: ['contacts', 'deals'],
  providers: [CrmService],
  controllers: [CrmController],
})
export class CrmPlugin {}

export default CrmPlugin;
