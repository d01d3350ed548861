import type { ClickHouseClient } from "@clickhouse/client";

/**
 * Values kept per client (a database) and tenant, at most `maxTenants` per client: past that, the tenant stored
 * first goes. A client's entries go with it.
 */
export function tenantCache<T>(maxTenants = 200) {
  const byClient = new WeakMap<ClickHouseClient, Map<string, T>>();
  const tenantsOf = (client: ClickHouseClient) => {
    const tenants = byClient.get(client) ?? new Map<string, T>();
    byClient.set(client, tenants);
    return tenants;
  };
  return {
    get: (client: ClickHouseClient, tenantId: string): T | undefined => byClient.get(client)?.get(tenantId),
    set: (client: ClickHouseClient, tenantId: string, value: T): T => {
      const tenants = tenantsOf(client);
      if (!tenants.has(tenantId) && tenants.size >= maxTenants) tenants.delete(tenants.keys().next().value!);
      tenants.set(tenantId, value);
      return value;
    },
  };
}
