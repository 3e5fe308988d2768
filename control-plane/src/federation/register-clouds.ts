import type { FederationConfig } from '@ganyun/providers';
import { lockForTransaction } from '../store/locks.ts';
import type { Logger } from '../logger.ts';
import type { SealingService } from '../secrets/sealing.ts';
import type { Store } from '../store/store.ts';
import { cloudsRepo } from './clouds-repo.ts';

/**
 * First start: the clouds of the federation file go into the registry (afterwards the registry is the truth and
 * the file is not read again for clouds). A remote cloud's token comes from the environment variable its entry
 * names, and is stored sealed.
 */
export async function registerFederationClouds(
  deps: { store: Store; sealing: SealingService; log: Logger },
  config: FederationConfig,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<number> {
  return deps.store.transaction(async (tx) => {
    await lockForTransaction(tx, 'cloudRegistry');
    if ((await cloudsRepo.count(tx)) > 0) return 0;
    for (const c of config.clouds) {
      const token = c.tokenEnv ? env[c.tokenEnv] : undefined;
      if (c.tokenEnv && token === undefined) deps.log.warn({ cloud: c.id, tokenEnv: c.tokenEnv }, 'the token variable of a remote cloud is not set');
      await cloudsRepo.insert(tx, {
        id: c.id, name: c.name, nameEn: c.nameEn, providerKind: c.provider, endpoint: c.endpoint ?? null,
        sealedCredentials: token ? deps.sealing.seal(token, `cloud:${c.id}`) : null,
        region: c.region, kind: c.kind, siteRoles: [...c.siteRoles], certifications: [...c.certifications.mlps], dualActive: c.dualActive, enabled: true,
        config: { level: c.level, zones: c.zones, ...(c.sim ? { sim: c.sim } : {}) },
      });
    }
    return config.clouds.length;
  });
}
