import { ConfigError, readConfig } from './config.ts';

describe('configuration', () => {
  it('has the documented defaults', () => {
    const c = readConfig({});
    expect([c.PORT, c.HOST, c.GANYUN_DATA_DIR, c.DATABASE_URL, c.LOG_LEVEL]).toEqual([8080, '127.0.0.1', './data', undefined, 'info']);
  });

  it('reports one line per bad value, naming each variable', () => {
    let error: ConfigError | undefined;
    try {
      readConfig({ PORT: '70000', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', GANYUN_SECRET_KEY: 'abc' });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.lines.length).toBe(4);
    expect(error!.lines.map((l) => l.split(':')[0]).sort()).toEqual(['DATABASE_URL', 'GANYUN_SECRET_KEY', 'LOG_LEVEL', 'PORT']);
  });

  it('requires a shared sealing key with PostgreSQL (replicas must read each other\'s secrets)', () => {
    expect(() => readConfig({ DATABASE_URL: 'postgres://localhost/x' })).toThrowMatching((e) => /GANYUN_SECRET_KEY/.test(e.message));
    expect(readConfig({ DATABASE_URL: 'postgres://localhost/x', GANYUN_SECRET_KEY: 'a'.repeat(64) }).DATABASE_URL).toBe('postgres://localhost/x');
  });

  it('keeps the drain delay inside the shutdown grace period', () => {
    expect(readConfig({}).GANYUN_SHUTDOWN_GRACE_MS).toBe(15_000);
    expect(readConfig({ GANYUN_SHUTDOWN_DELAY_MS: '5000', GANYUN_SHUTDOWN_GRACE_MS: '20000' }).GANYUN_SHUTDOWN_DELAY_MS).toBe(5000);
    expect(() => readConfig({ GANYUN_SHUTDOWN_DELAY_MS: '30000', GANYUN_SHUTDOWN_GRACE_MS: '20000' })).toThrowMatching((e) => /GANYUN_SHUTDOWN_DELAY_MS: must not exceed/.test(e.message));
    expect(() => readConfig({ GANYUN_SHUTDOWN_GRACE_MS: '-1' })).toThrowMatching((e) => /GANYUN_SHUTDOWN_GRACE_MS/.test(e.message));
  });

  it('names a bad secret variable without echoing its value (issue 19.2)', () => {
    const secrets = {
      DATABASE_URL: 'mysql://ganyun:TopSecretPw1@db/ganyun',
      GANYUN_ADMIN_PASSWORD: 'Short#Pw9',
      GANYUN_SECRET_KEY: 'NotHexButSecret-0123456789',
      GANYUN_METRICS_TOKEN: 'tok en with spaces x',
    };
    let error: ConfigError | undefined;
    try {
      readConfig({ ...secrets, PORT: 'eighty' });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error!.lines.map((l) => l.split(':')[0]).sort()).toEqual(['DATABASE_URL', 'GANYUN_ADMIN_PASSWORD', 'GANYUN_METRICS_TOKEN', 'GANYUN_SECRET_KEY', 'PORT']);
    for (const value of Object.values(secrets)) expect(error!.message).not.toContain(value);
    expect(error!.message).not.toContain('TopSecretPw1');
    expect(error!.message).toContain('"eighty"'); // a value that is not secret is still shown, to help the fix
  });

  it('treats empty variables as unset', () => {
    expect(readConfig({ PORT: '' }).PORT).toBe(8080);
  });
});
