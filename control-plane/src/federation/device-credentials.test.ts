import { InputError } from '../errors.ts';
import { freshDeps } from '../testing/harness.ts';
import type { CloudSettings } from './cloud-entry.ts';

describe('sealed device and cluster credentials, opened by the federation', () => {
  const unreadable: [string, string][] = [
    ['a legacy plain token (not JSON)', 'Plain-Secret-Token-77'],
    ['JSON of the wrong shape', '{"type":"password","pass":"Plain-Secret-Token-77"}'],
  ];
  const row = (providerKind: string, config: CloudSettings['config']): CloudSettings => ({
    id: 'c', name: 'c', nameEn: 'c', providerKind, endpoint: null, region: '3601', kind: 'general', siteRoles: ['production'], certifications: [3], dualActive: false, config,
  });
  for (const [why, secret] of unreadable) {
    it(`${why}: an InputError on the credential that never quotes the secret`, async () => {
      const deps = await freshDeps();
      const records = [row('ssh-host', { ssh: { host: '127.0.0.1', port: 22, username: 'ganyun' } }), row('kubernetes', { kubernetes: {} })];
      for (const record of records) {
        let error: unknown;
        try {
          deps.federation.build({ record, token: secret });
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(InputError);
        expect((error as InputError).field).toBe('credential');
        expect(String((error as Error).message)).not.toContain('Plain-Secret-Token-77');
        expect(String((error as Error).cause ?? '')).not.toContain('Plain-Secret-Token-77');
      }
      await deps.federation.stop();
    });
  }
});
