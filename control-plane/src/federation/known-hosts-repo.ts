/**
 * Ganyun's own known-hosts, in the store: the pinned host key of each host:port, and the alarms raised when a
 * pinned host presents another key. The SSH session pool asks `StoreKnownHosts` before it authenticates.
 *
 * Lookups read the store directly: every SSH connect (registration, health, sync, probe) happens outside any
 * transaction, so none waits on a transaction of its own (PGlite has a single connection).
 */
import type { HostKeyChangedAlarm, KnownHosts, PinnedHostKey } from '@ganyun/providers';
import { Counter, type Registry } from 'prom-client';
import type { AuditLog } from '../audit/audit-log.ts';
import { newId } from '../ids.ts';
import type { Logger } from '../logger.ts';
import { keyset, keysetOrder, type Page, type PageRequest } from '../store/keyset.ts';
import { allOf } from '../store/scope-filter.ts';
import type { Queryable, Store } from '../store/store.ts';

export interface KnownHostRow {
  host: string;
  port: number;
  fingerprint: string;
  acceptedBy: string;
  acceptedAt: Date;
}

export interface HostKeyAlarmRow {
  id: number;
  host: string;
  port: number;
  cloudId: string | null;
  expectedFingerprint: string;
  presentedFingerprint: string;
  firstSeenAt: Date;
  lastSeenAt: Date;
  occurrences: number;
  resolvedAt: Date | null;
  resolvedBy: string | null;
}

const ALARM_COLUMNS = `id::int AS id, host, port, cloud_id AS "cloudId", expected_fingerprint AS "expectedFingerprint",
  presented_fingerprint AS "presentedFingerprint", first_seen_at AS "firstSeenAt", last_seen_at AS "lastSeenAt", occurrences,
  resolved_at AS "resolvedAt", resolved_by AS "resolvedBy"`;

/**
 * Newest alarm first by its id (bigserial: unique, and the order alarms were raised in). The key compares as an
 * int4 parameter against the bigint column (PostgreSQL's cross-type btree operator keeps the index walk), as the
 * id is already read as an int.
 */
const ALARM_ORDER = keysetOrder('desc', ['id', 'int']);

export interface AlarmFilter {
  open?: boolean | undefined;
  cloudId?: string | undefined;
}

function alarmFilters(filter: AlarmFilter, params: unknown[]): (string | null)[] {
  return [
    filter.open === true ? 'resolved_at IS NULL' : filter.open === false ? 'resolved_at IS NOT NULL' : null,
    filter.cloudId ? `cloud_id = $${params.push(filter.cloudId)}` : null,
  ];
}

export const knownHostsRepo = {
  async get(db: Queryable, host: string, port: number): Promise<KnownHostRow | undefined> {
    const [row] = await db.query<KnownHostRow>(
      'SELECT host, port, fingerprint, accepted_by AS "acceptedBy", accepted_at AS "acceptedAt" FROM ssh_known_hosts WHERE host = $1 AND port = $2',
      [host, port],
    );
    return row;
  },

  async list(db: Queryable): Promise<KnownHostRow[]> {
    return db.query<KnownHostRow>('SELECT host, port, fingerprint, accepted_by AS "acceptedBy", accepted_at AS "acceptedAt" FROM ssh_known_hosts ORDER BY host, port');
  },

  /** Pins (or re-pins) the key of host:port and resolves that host's open alarms. */
  async accept(db: Queryable, a: { host: string; port: number; fingerprint: string; acceptedBy: string }): Promise<{ resolvedAlarms: number }> {
    await db.query(
      `INSERT INTO ssh_known_hosts (host, port, fingerprint, accepted_by, accepted_at) VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (host, port) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, accepted_by = EXCLUDED.accepted_by, accepted_at = now()`,
      [a.host, a.port, a.fingerprint, a.acceptedBy],
    );
    const resolved = await db.query<{ id: number }>(
      'UPDATE ssh_host_key_alarms SET resolved_at = now(), resolved_by = $3 WHERE host = $1 AND port = $2 AND resolved_at IS NULL RETURNING id::int AS id',
      [a.host, a.port, a.acceptedBy],
    );
    return { resolvedAlarms: resolved.length };
  },

  /**
   * One open alarm per host:port and presented key; a repeat bumps its count. Returns the alarm's id and whether
   * this call raised it (the first refusal of that key change) rather than counted a repeat.
   */
  async raiseAlarm(db: Queryable, a: HostKeyChangedAlarm & { cloudId: string | null }): Promise<{ id: number; raised: boolean }> {
    const [row] = await db.query<{ id: number; raised: boolean }>(
      `INSERT INTO ssh_host_key_alarms (host, port, cloud_id, expected_fingerprint, presented_fingerprint) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (host, port, presented_fingerprint) WHERE resolved_at IS NULL
       DO UPDATE SET occurrences = ssh_host_key_alarms.occurrences + 1, last_seen_at = now(), cloud_id = coalesce(ssh_host_key_alarms.cloud_id, EXCLUDED.cloud_id)
       RETURNING id::int AS id, occurrences = 1 AS raised`,
      [a.host, a.port, a.cloudId, a.expectedFingerprint, a.presentedFingerprint],
    );
    return row!;
  },

  async alarms(db: Queryable, filter: { open?: boolean; cloudId?: string; host?: string; port?: number } = {}): Promise<HostKeyAlarmRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.open === true) where.push('resolved_at IS NULL');
    if (filter.open === false) where.push('resolved_at IS NOT NULL');
    if (filter.cloudId) where.push(`cloud_id = $${params.push(filter.cloudId)}`);
    if (filter.host) where.push(`host = $${params.push(filter.host)}`);
    if (filter.port) where.push(`port = $${params.push(filter.port)}`);
    return db.query<HostKeyAlarmRow>(`SELECT ${ALARM_COLUMNS} FROM ssh_host_key_alarms ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT 200`, params);
  },

  /**
   * A page of alarms, newest first (store/keyset.ts), open or resolved or both, of one cloud when asked; migration
   * 0259's indexes (the open ones, a cloud's) and the primary key back each filter's order. Province-wide data:
   * the router admits only province-wide roles, so there is no department filter here.
   */
  async alarmsPage(db: Queryable, filter: AlarmFilter, page: PageRequest): Promise<Page<HostKeyAlarmRow>> {
    const params: unknown[] = [];
    const filters = alarmFilters(filter, params);
    const k = keyset(ALARM_ORDER, page, params);
    return k.page(await db.query<HostKeyAlarmRow>(
      `SELECT ${ALARM_COLUMNS}${k.select} FROM ssh_host_key_alarms WHERE ${allOf(...filters, k.after)} ORDER BY ${k.orderBy} LIMIT ${k.limit}`, params));
  },

  /** How many alarms the filter admits (the count the console shows beside the open alarms). */
  async alarmsTotal(db: Queryable, filter: AlarmFilter): Promise<number> {
    const params: unknown[] = [];
    const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ssh_host_key_alarms WHERE ${allOf(...alarmFilters(filter, params))}`, params);
    return row?.n ?? 0;
  },
};

/** The store-backed KnownHosts the SSH session pools read; every replica sees an admin's acceptance at once. */
export class StoreKnownHosts implements KnownHosts {
  constructor(private readonly store: Store) {}

  async lookup(host: string, port: number): Promise<PinnedHostKey | undefined> {
    const row = await knownHostsRepo.get(this.store, host, port);
    return row ? { fingerprint: row.fingerprint } : undefined;
  }
}

interface HostKeyCounters {
  /** Every connection refused because a pinned host presented another key. */
  refused: Counter<'cloud'>;
  /** Alarms raised: one per host and changed key, however many connections it refuses. */
  alarms: Counter<'cloud'>;
}

const countersByRegistry = new WeakMap<Registry, HostKeyCounters>();

/**
 * `ganyun_ssh_host_key_refused_connections_total{cloud}` and `ganyun_ssh_host_key_alarms_total{cloud}` on the app's
 * registry (created once per registry).
 */
export function hostKeyCounters(registry: Registry): HostKeyCounters {
  let c = countersByRegistry.get(registry);
  if (!c) {
    c = {
      refused: new Counter({ name: 'ganyun_ssh_host_key_refused_connections_total', help: 'SSH connections refused because a pinned host presented another key', labelNames: ['cloud'] as const, registers: [registry] }),
      alarms: new Counter({ name: 'ganyun_ssh_host_key_alarms_total', help: 'Host-key alarms raised: one per host and changed key, however many connections it refuses', labelNames: ['cloud'] as const, registers: [registry] }),
    };
    countersByRegistry.set(registry, c);
  }
  return c;
}

/**
 * Records host-key alarms (issue 17.6). Every refused connection is counted (metric) and bumps the open alarm's
 * `occurrences`; only the refusal that raises the alarm — the first one of that host and presented key since the
 * host's last accepted key — is logged as a warning and audited (`ssh.hostKeyChanged`). The operator's decision is
 * audited by `devices.acceptHostKey`, which resolves the alarm; a later change to yet another key raises a new one.
 *
 * The session pool reports refusals synchronously from inside the key exchange, and the connection attempt may
 * belong to a mutation that is about to roll back (a refused registration): the alarm and its audit record are
 * therefore written in their own transaction on the store, never in the caller's, so they survive the refusal.
 * Whether a refusal raises the alarm is decided by that transaction (the open-alarm unique index), so replicas
 * refusing the same host at once still raise one. `settled()` lets specs (and shutdown) wait for the writes.
 */
export class HostKeyAlarms {
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly deps: { store: Store; audit?: AuditLog; log: Logger; registry: Registry }) {
    hostKeyCounters(deps.registry); // on /metrics from the start, at 0
  }

  report(cloudId: string | null, alarm: HostKeyChangedAlarm): void {
    const cloud = cloudId ?? 'unregistered';
    const counters = hostKeyCounters(this.deps.registry);
    counters.refused.inc({ cloud });
    const where = { cloud: cloudId, host: alarm.host, port: alarm.port, expected: alarm.expectedFingerprint, presented: alarm.presentedFingerprint };
    this.deps.log.debug(where, 'SSH host key changed: connection refused');
    const write = this.deps.store
      .transaction(async (tx) => {
        const { id, raised } = await knownHostsRepo.raiseAlarm(tx, { ...alarm, cloudId });
        if (!raised) return { raised, records: [] };
        const records = this.deps.audit
          ? [await this.deps.audit.append(tx, {
              actorId: null, actor: 'ganyun', role: null, procedure: 'ssh.hostKeyChanged', target: `ssh-host:${alarm.host}:${alarm.port}`,
              outcome: 'error', before: { fingerprint: alarm.expectedFingerprint }, after: { fingerprint: alarm.presentedFingerprint, alarmId: id, cloudId },
              requestId: newId(), error: 'host key changed: connections refused until an admin re-accepts a key',
            })]
          : [];
        return { raised, records };
      })
      .then(({ raised, records }) => {
        if (!raised) return;
        counters.alarms.inc({ cloud });
        this.deps.log.warn(where, 'SSH host key changed: alarm raised, connections refused until an admin re-accepts a key');
        this.deps.audit?.published(records);
      })
      .catch((e: unknown) => this.deps.log.error({ err: e, host: alarm.host, port: alarm.port }, 'could not record a host-key alarm'))
      .finally(() => this.pending.delete(write));
    this.pending.add(write);
  }
  async settled(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }
}
