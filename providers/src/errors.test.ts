import { ProviderError, isProviderErrorCode, toProviderError, type ProviderErrorCode } from './errors.ts';

describe('ProviderError', () => {
  const retryable: [ProviderErrorCode, boolean, string][] = [
    ['unavailable', true, 'the cloud may come back'],
    ['throttled', true, 'after the wait it asked for'],
    ['timeout', true, 'a slow answer may be quicker next time'],
    ['not-found', false, 'missing stays missing'],
    ['conflict', false, 'the state must change first'],
    ['invalid', false, 'the request must change'],
    ['garbage', false, 'a misconfigured endpoint stays misconfigured'],
    ['auth', false, 'credentials must change'],
    ['internal', false, 'a bug does not heal itself'],
  ];
  for (const [code, expected, why] of retryable) {
    it(`makes ${code} ${expected ? '' : 'not '}retryable by default (${why})`, () => {
      expect(new ProviderError({ provider: 'c', op: 'health', code }).retryable).toBe(expected);
    });
  }

  it('keeps cause, reason and retryAfter and serialises for the wire', () => {
    const cause = new Error('socket');
    const e = new ProviderError({ provider: 'nanchang', op: 'capacity', code: 'throttled', retryAfterMs: 1500, reason: 'rate', cause });
    expect(e.cause).toBe(cause);
    expect(e.message).toBe('nanchang: capacity failed: throttled (rate)');
    expect(e.toJSON()).toEqual({ code: 'throttled', message: e.message, retryable: true, reason: 'rate', retryAfterMs: 1500 });
  });

  it('wraps foreign errors as internal and passes its own through', () => {
    const own = new ProviderError({ provider: 'c', op: 'x', code: 'auth' });
    expect(toProviderError(own, 'd', 'y')).toBe(own);
    const wrapped = toProviderError(new RangeError('bad'), 'c', 'health');
    expect([wrapped.code, wrapped.provider, wrapped.op]).toEqual(['internal', 'c', 'health']);
    expect(wrapped.cause).toBeInstanceOf(RangeError);
    expect(isProviderErrorCode('garbage')).toBeTrue();
    expect(isProviderErrorCode('oops')).toBeFalse();
  });
});
