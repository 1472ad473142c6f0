/** Where a deal stands. A module of its own so other plugins can use the list without loading crm's entities. */
export const DEAL_STAGES = ['open', 'won', 'lost'] as const;

export type DealStage = (typeof DEAL_STAGES)[number];
