/**
 * What the remote inventory service answers to `GET /products`, as far as reports reads it.
 * Inventory is another process (any language): this is its contract, not shared code.
 */
export interface InventoryProduct {
  id: string;
  name: string;
  stock: number;
}

export interface InventoryProducts {
  products: InventoryProduct[];
}

/** The service reports calls: registered by the inventory process, per tenant, at runtime. */
export const INVENTORY_PRODUCTS = { targetPluginId: 'inventory', targetServiceName: 'inventory.products' } as const;
