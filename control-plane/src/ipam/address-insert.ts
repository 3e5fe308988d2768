import type { AddressRow } from './ipam-repo.ts';

/** An address about to be recorded, with its prefix's CIDR (kept on the row). */
export type NewAddress = AddressRow & { prefixCidr: string };

/**
 * The statement that records addresses, all in one (a dual-stack host's two), its parameters numbered from $`first`.
 * ipamRepo.insertAddresses runs it alone; a caller that records its own row with the addresses runs it as a CTE of
 * that row's insert (resourcesRepo.insertIfAbsent), one statement for both.
 */
export function addressInsert(rows: readonly NewAddress[], first = 1): { sql: string; params: unknown[] } {
  const col = <K extends keyof NewAddress>(k: K) => rows.map((r) => r[k]);
  const types = ['uuid', 'uuid', 'uuid', 'cidr', 'inet', 'text', 'text', 'text', 'text', 'text', 'text', 'text'];
  return {
    sql: `INSERT INTO ipam_addresses (id, vrf_id, prefix_id, prefix_cidr, address, family, status, unit_code, plane_id, dns_name, description, idempotency_key)
       SELECT * FROM unnest(${types.map((t, i) => `$${first + i}::${t}[]`).join(', ')})`,
    params: [col('id'), col('vrfId'), col('prefixId'), col('prefixCidr'), col('address'), col('family'), col('status'), col('unitCode'), col('planeId'), col('dnsName'), col('description'), col('idempotencyKey')],
  };
}
