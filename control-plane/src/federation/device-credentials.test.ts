import { expectCredentialRefused, UNREADABLE_CREDENTIALS } from '@ganyun/providers/testing/unreadable-credentials.ts';
import { InputError } from '../errors.ts';
import { freshDeps } from '../testing/harness.ts';
import type { CloudSettings } from './cloud-entry.ts';

describe('sealed device and cluster credentials, opened by the federation', () => {
  const row = (providerKind: string, config: CloudSettings['config']): CloudSettings => ({
    id: 'c', name: 'c', nameEn: 'c', providerKind, endpoint: null, region: '3601', kind: 'general', siteRoles: ['production'], certifications: [3], dualActive: false, config,
  });
  for (const [why, secret] of UNREADABLE_CREDENTIALS) {
    it(`${why}: an InputError on the credential that never quotes the secret`, async () => {
      const deps = await freshDeps();
      const records = [row('ssh-host', { ssh: { host: '127.0.0.1', port: 22, username: 'ganyun' } }), row('kubernetes', { kubernetes: {} })];
      for (const record of records) expectCredentialRefused(() => deps.federation.build({ record, token: secret }), InputError);
      await deps.federation.stop();
    });
  }
});
