import { Injectable } from '@nestjs/common';
import { Expose, PluginCallContext, PluginGateway } from 'nestjs-plugins';
import { INVENTORY_PRODUCTS, type InventoryProducts } from './inventory-api.js';
import { summarizeStock, type StockReport } from './stock-summary.js';

/** Stock figures of the current tenant, read from the remote inventory service through the gateway. */
@Injectable()
export class StockReportService {
  constructor(private readonly gateway: PluginGateway) {}

  /**
   * The gateway finds the inventory instance registered for the current tenant and forwards
   * the tenant and `X-Caller-Plugin-ID: reports` to it. Rejects with `ServiceNotFoundError`
   * while none is registered (or it stopped sending heartbeats), `RemoteServiceError` when it
   * cannot be reached or fails, `GatewayTimeoutError` when it is too slow.
   */
  @Expose()
  async stockReport(): Promise<StockReport> {
    const { body } = await this.gateway.call<InventoryProducts>({
      callerPluginId: 'reports',
      ...INVENTORY_PRODUCTS,
      method: 'GET',
      path: '/products',
    });
    return summarizeStock(PluginCallContext.current().tenantId, body.products);
  }
}
