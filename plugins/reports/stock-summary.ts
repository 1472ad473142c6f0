import type { InventoryProduct } from './inventory-api.js';

/** Products with fewer units than this are reported as low. */
export const LOW_STOCK_BELOW = 5;

export interface StockReport {
  /** the tenant the figures are for (absent when the request named none) */
  tenant?: string;
  /** how many products the tenant's inventory lists */
  products: number;
  /** units over every product */
  totalStock: number;
  /** products below LOW_STOCK_BELOW, in the inventory's order */
  lowStock: InventoryProduct[];
}

export function summarizeStock(tenant: string | undefined, products: readonly InventoryProduct[]): StockReport {
  return {
    ...(tenant === undefined ? {} : { tenant }),
    products: products.length,
    totalStock: products.reduce((total, product) => total + product.stock, 0),
    lowStock: products.filter((product) => product.stock < LOW_STOCK_BELOW),
  };
}
