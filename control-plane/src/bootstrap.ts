import { generatePassword, hashPassword } from './auth/password.ts';
import { lockForTransaction } from './store/locks.ts';
import type { AppDeps } from './context.ts';
import { newId } from './ids.ts';
import { usersRepo } from './auth/users-repo.ts';

/**
 * First start: creates the `admin` user. With GANYUN_ADMIN_PASSWORD the password is that one; without it a
 * password is generated and returned so main.ts prints it once (to the terminal, not to the log).
 * The creation is audited like any other change.
 */
export async function ensureAdmin(deps: AppDeps, configuredPassword?: string): Promise<{ created: boolean; generatedPassword?: string }> {
  if ((await usersRepo.count(deps.store)) > 0) return { created: false };
  const password = configuredPassword ?? generatePassword();
  const passwordHash = await hashPassword(password);
  const record = await deps.store.transaction(async (tx) => {
    // Two replicas starting on an empty database: only one creates the admin.
    await lockForTransaction(tx, 'adminBootstrap');
    if ((await usersRepo.count(tx)) > 0) return null;
    const id = newId();
    await usersRepo.insert(tx, { id, username: 'admin', displayName: '平台管理员 Administrator', departmentId: null, roles: ['admin'], passwordHash, mustChangePassword: false });
    return deps.audit.append(tx, {
      actorId: null, actor: 'system', role: null, procedure: 'bootstrap.createAdmin', target: `user:${id}`, outcome: 'ok',
      before: null, after: { username: 'admin', roles: ['admin'] }, requestId: 'bootstrap', error: null,
    });
  });
  if (!record) return { created: false };
  deps.audit.published([record]);
  return { created: true, generatedPassword: configuredPassword ? undefined : password };
}
