import { keyset, keysetOrder, type Page, type PageRequest } from '../store/keyset.ts';
import { allOf, scopeFilter } from '../store/scope-filter.ts';
import type { Role } from './roles.ts';
import type { Queryable } from '../store/store.ts';

export interface UserRow {
  id: string;
  username: string;
  displayName: string;
  departmentId: string | null;
  departmentName: string | null;
  roles: Role[];
  passwordHash: string;
  failedLogins: number;
  lockedUntil: Date | null;
  disabled: boolean;
  mustChangePassword: boolean;
  createdAt: Date;
}

/** What the API shows of a user: never the hash or the counters behind the lockout. */
export interface UserView extends Pick<UserRow, 'id' | 'username' | 'displayName' | 'departmentId' | 'departmentName' | 'roles' | 'disabled'> {
  locked: boolean;
  createdAt: string;
}

export const toUserView = (u: UserRow, now = new Date()): UserView => ({
  id: u.id,
  username: u.username,
  displayName: u.displayName,
  departmentId: u.departmentId,
  departmentName: u.departmentName,
  roles: u.roles,
  disabled: u.disabled,
  locked: u.lockedUntil !== null && u.lockedUntil > now,
  createdAt: u.createdAt.toISOString(),
});

const COLUMNS = `u.id, u.username, u.display_name AS "displayName", u.department_id AS "departmentId",
  d.name AS "departmentName", u.roles, u.password_hash AS "passwordHash", u.failed_logins AS "failedLogins",
  u.locked_until AS "lockedUntil", u.disabled, u.must_change_password AS "mustChangePassword", u.created_at AS "createdAt"`;
const FROM = 'FROM users u LEFT JOIN departments d ON d.id = u.department_id';
const SELECT = `SELECT ${COLUMNS} ${FROM}`;
const USER_ORDER = keysetOrder('asc', ['u.username', 'text']);

export const usersRepo = {
  async byId(db: Queryable, id: string): Promise<UserRow | undefined> {
    return (await db.query<UserRow>(`${SELECT} WHERE u.id = $1`, [id]))[0];
  },
  async byUsername(db: Queryable, username: string): Promise<UserRow | undefined> {
    return (await db.query<UserRow>(`${SELECT} WHERE u.username = $1`, [username]))[0];
  },
  /** `departmentIds` null means every department (province-wide callers). */
  /**
   * users.list: a page in username order (usernames are unique) through store/keyset.ts, inside the caller's
   * scope, optionally one department and a username or display name containing `search`. The unique username
   * index and (department, username) of migration 0172 walk it in order.
   */
  async page(db: Queryable, opts: { departmentIds: string[] | null; search?: string; departmentId?: string }, page: PageRequest): Promise<Page<UserRow>> {
    const params: unknown[] = [];
    const where: (string | null)[] = [scopeFilter({ departmentIds: opts.departmentIds }, params, 'u.department_id')];
    if (opts.departmentId) where.push(`u.department_id = $${params.push(opts.departmentId)}::uuid`);
    if (opts.search) {
      const n = params.push(`%${opts.search.replace(/[%_\\]/g, '\\$&')}%`);
      where.push(`(u.username ILIKE $${n} OR u.display_name ILIKE $${n})`);
    }
    const k = keyset(USER_ORDER, page, params);
    return k.page(await db.query<UserRow>(`SELECT ${COLUMNS}${k.select} ${FROM} WHERE ${allOf(...where, k.after)} ORDER BY ${k.orderBy} LIMIT ${k.limit}`, params));
  },
  async insert(db: Queryable, u: { id: string; username: string; displayName: string; departmentId: string | null; roles: Role[]; passwordHash: string; mustChangePassword: boolean }): Promise<void> {
    await db.query(
      `INSERT INTO users (id, username, display_name, department_id, roles, password_hash, must_change_password)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [u.id, u.username, u.displayName, u.departmentId, u.roles, u.passwordHash, u.mustChangePassword],
    );
  },
  async update(db: Queryable, id: string, patch: { displayName?: string; departmentId?: string | null; roles?: Role[]; disabled?: boolean }): Promise<void> {
    await db.query(
      `UPDATE users SET
         display_name = COALESCE($2, display_name),
         department_id = CASE WHEN $3::boolean THEN $4::uuid ELSE department_id END,
         roles = COALESCE($5::text[], roles),
         disabled = COALESCE($6, disabled),
         updated_at = now()
       WHERE id = $1`,
      [id, patch.displayName ?? null, patch.departmentId !== undefined, patch.departmentId ?? null, patch.roles ?? null, patch.disabled ?? null],
    );
  },
  async setPassword(db: Queryable, id: string, passwordHash: string, mustChange: boolean): Promise<void> {
    await db.query(
      'UPDATE users SET password_hash = $2, must_change_password = $3, failed_logins = 0, locked_until = NULL, updated_at = now() WHERE id = $1',
      [id, passwordHash, mustChange],
    );
  },
  async count(db: Queryable): Promise<number> {
    return (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM users'))[0]!.n;
  },
};
