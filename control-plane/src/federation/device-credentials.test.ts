import { InputError } from '../errors.ts';
import { createLogger } from '../logger.ts';
import { clusterProviderFor } from './cluster-providers.ts';
import { openSshCredential } from './device-providers.ts';

describe('sealed device and cluster credentials, opened', () => {
  const unreadable: [string, string][] = [
    ['a legacy plain token (not JSON)', 'Plain-Secret-Token-77'],
    ['JSON of the wrong shape', '{"type":"password","pass":"Plain-Secret-Token-77"}'],
  ];
  for (const [why, secret] of unreadable) {
    it(`${why}: an InputError that never quotes the secret`, () => {
      for (const open of [() => openSshCredential(secret), () => clusterProviderFor({ id: 'c', region: '3601', config: {} }, secret, createLogger('silent'))]) {
        let error: unknown;
        try {
          open();
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(InputError);
        expect(String((error as Error).message)).not.toContain('Plain-Secret-Token-77');
        expect(String((error as Error).cause ?? '')).not.toContain('Plain-Secret-Token-77');
      }
    });
  }

  it('a password credential opens as given', () => {
    expect(openSshCredential('{"type":"password","password":"pw-1"}')).toEqual({ type: 'password', password: 'pw-1' });
  });
});
