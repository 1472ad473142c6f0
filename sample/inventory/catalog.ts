export interface Product {
  id: string;
  name: string;
  stock: number;
}

const PRODUCTS = [
  { id: 'anvil', name: 'Anvil' },
  { id: 'rocket-skates', name: 'Rocket skates' },
  { id: 'bird-seed', name: 'Bird seed' },
  { id: 'giant-magnet', name: 'Giant magnet' },
];

/** Units per product in each tenant's warehouse: the figures differ, so a report shows which tenant it was asked for. */
const STOCK_BY_TENANT = new Map<string, Record<string, number>>([
  ['acme', { anvil: 12, 'rocket-skates': 3, 'bird-seed': 40, 'giant-magnet': 0 }],
  ['globex', { anvil: 5, 'rocket-skates': 20, 'bird-seed': 8, 'giant-magnet': 1 }],
]);

/** The whole catalogue with the tenant's stock; a tenant without a warehouse here has none of anything. */
export function productsOf(tenant: string | undefined): Product[] {
  const stock = (tenant === undefined ? undefined : STOCK_BY_TENANT.get(tenant)) ?? {};
  return PRODUCTS.map(({ id, name }) => ({ id, name, stock: stock[id] ?? 0 }));
}

export function productOf(tenant: string | undefined, id: string): Product | undefined {
  return productsOf(tenant).find((product) => product.id === id);
}
