import type { Contact } from '../crm/contact.entity.js';
import { DEAL_STAGES, type DealStage } from '../crm/deal-stage.js';
import type { Deal } from '../crm/deal.entity.js';

export interface StageTotals {
  count: number;
  /** in cents */
  amount: number;
}

export interface PipelineSummary {
  contacts: number;
  /** every stage, also those without deals */
  byStage: Record<DealStage, StageTotals>;
  /** in cents */
  wonTotal: number;
  /** the contact with the most won, in cents; null while nothing is won */
  topContact: { id: number; name: string; won: number } | null;
}

/** The figures of a pipeline report, from the contacts and deals crm returned. */
export function summarizePipeline(contacts: readonly Contact[], deals: readonly Deal[]): PipelineSummary {
  const byStage = Object.fromEntries(DEAL_STAGES.map((stage) => [stage, { count: 0, amount: 0 }])) as Record<DealStage, StageTotals>;
  const wonByContact = new Map<number, number>();
  for (const deal of deals) {
    byStage[deal.stage].count += 1;
    byStage[deal.stage].amount += deal.amount;
    if (deal.stage === 'won') wonByContact.set(deal.contactId, (wonByContact.get(deal.contactId) ?? 0) + deal.amount);
  }
  return { contacts: contacts.length, byStage, wonTotal: byStage.won.amount, topContact: topContact(contacts, wonByContact) };
}

/** Ties go to the contact added first. */
function topContact(contacts: readonly Contact[], wonByContact: ReadonlyMap<number, number>): PipelineSummary['topContact'] {
  let top: PipelineSummary['topContact'] = null;
  for (const { id, name } of contacts) {
    const won = wonByContact.get(id) ?? 0;
    if (won > 0 && (top === null || won > top.won)) top = { id, name, won };
  }
  return top;
}
