import { adminAppForEachSpec } from '../testing/http-app.ts';

/**
 * Issue 19.2 through the HTTP API: a secret given in any way the API allows (cloud token, a password or a
 * token smuggled into an endpoint URL, SSH password and private key, cluster token and kubeconfig), on every
 * path that can fail, appears in no answer, no audit row and no log line.
 */
describe('secrets never leave the secret store (HTTP)', () => {
  const http = adminAppForEachSpec();
  const cloud = { name: '泄密测试云', nameEn: 'Leak test cloud', region: '3601', kind: 'general', siteRoles: ['production'], certifications: [3], dualActive: false, enabled: true };
  const PRIVATE_KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nPrivKeySecretBody0123456789\n-----END OPENSSH PRIVATE KEY-----\n';
  const kubeconfig = (server: string, token: string) => [
    'apiVersion: v1', 'kind: Config', 'current-context: c',
    'clusters:', `- name: k\n  cluster:\n    server: ${server}`,
    'users:', `- name: u\n  user:\n    token: ${token}`,
    'contexts:', '- name: c\n  context:\n    cluster: k\n    user: u',
  ].join('\n');

  const attempts: { why: string; path: string; input: Record<string, unknown>; secret: string }[] = [
    { why: 'a password in the endpoint URL', path: 'clouds.create', secret: 'UrlPwSecret1',
      input: { ...cloud, id: 'leak-a', providerKind: 'remote', endpoint: 'http://svc:UrlPwSecret1@127.0.0.1:9/', token: 'Tok-Secret-aaa1' } },
    { why: 'a token in the endpoint query', path: 'clouds.create', secret: 'QuerySecret77',
      input: { ...cloud, id: 'leak-b', providerKind: 'remote', endpoint: 'http://127.0.0.1:9/api?access_token=QuerySecret77', token: 'Tok-Secret-bbb2' } },
    { why: 'a token that cannot be an HTTP header value', path: 'clouds.create', secret: 'HdrSecret55',
      input: { ...cloud, id: 'leak-c', providerKind: 'remote', endpoint: 'http://127.0.0.1:9/', token: 'HdrSecret55\r\nX-Injected: 1' } },
    { why: 'a good token for an endpoint that refuses the connection', path: 'clouds.create', secret: 'Tok-Secret-ddd4',
      input: { ...cloud, id: 'leak-d', providerKind: 'remote', endpoint: 'http://127.0.0.1:9/', token: 'Tok-Secret-ddd4' } },
    { why: 'an SSH password for a host that refuses the connection', path: 'devices.registerDevice', secret: 'SshPwSecret-66',
      input: { ...cloud, id: 'leak-e', providerKind: 'ssh-host', host: '127.0.0.1', port: 9, username: 'ops', credential: { type: 'password', password: 'SshPwSecret-66' } } },
    { why: 'an SSH private key that does not parse', path: 'devices.registerDevice', secret: 'PrivKeySecretBody0123456789',
      input: { ...cloud, id: 'leak-f', providerKind: 'ssh-host', host: '127.0.0.1', port: 9, username: 'ops', credential: { type: 'key', privateKey: PRIVATE_KEY, passphrase: 'PassphraseSecret-7' } } },
    { why: 'a cluster token for an API server that refuses the connection', path: 'devices.registerCluster', secret: 'KubeTokenSecret-42',
      input: { ...cloud, id: 'leak-g', server: 'https://127.0.0.1:9', credential: { type: 'token', token: 'KubeTokenSecret-42' } } },
    { why: 'a kubeconfig carrying a token', path: 'devices.registerCluster', secret: 'KubeconfigSecret-77',
      input: { ...cloud, id: 'leak-h', credential: { type: 'kubeconfig', kubeconfig: kubeconfig('https://127.0.0.1:9', 'KubeconfigSecret-77') } } },
    { why: 'a kubeconfig that is not valid YAML', path: 'devices.registerCluster', secret: 'KubeconfigBadSecret-88',
      input: { ...cloud, id: 'leak-i', credential: { type: 'kubeconfig', kubeconfig: `users: [ {token: KubeconfigBadSecret-88 ` } } },
  ];

  it('answers every refused registration with a 4xx that names the field, and the secret is in no answer, audit row or log line', async () => {
    const seen: string[] = [];
    for (const a of attempts) {
      const res = await http.app.call(a.path, a.input, { token: http.adminToken });
      seen.push(`${a.why}: ${res.status >= 400 && res.status < 500 ? '4xx' : res.status}`);
      expect(res.text).withContext(a.why).not.toContain(a.secret);
    }
    expect(seen).toEqual(attempts.map((a) => `${a.why}: 4xx`));
    const audit = JSON.stringify(await http.app.deps.store.query('SELECT * FROM audit_log ORDER BY seq'));
    const clouds = JSON.stringify(await http.app.deps.store.query('SELECT * FROM clouds'));
    for (const a of attempts) {
      expect(audit).withContext(`audit: ${a.why}`).not.toContain(a.secret);
      expect(clouds).withContext(`clouds: ${a.why}`).not.toContain(a.secret);
      expect(http.app.deps.logs.text).withContext(`log: ${a.why}`).not.toContain(a.secret);
    }
    // The refusals are audited (with the field names, values redacted), so an auditor sees the attempts.
    const procedures = await http.app.deps.store.query<{ procedure: string }>(`SELECT procedure FROM audit_log WHERE outcome <> 'ok' ORDER BY seq`);
    expect(procedures.length).toBe(attempts.length);
  });

  it('refuses credentials inside an endpoint URL with a message saying where they go instead', async () => {
    const res = await http.app.call('clouds.create', attempts[0]!.input, { token: http.adminToken });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/token/);
  });

  it('the logger redacts secrets by pattern too: passwords in URLs and bearer tokens in free text', () => {
    http.app.deps.log.warn({ detail: 'connect http://svc:LogUrlSecret9@10.0.0.1/ failed; sent Authorization: Bearer LogBearerSecret8' }, 'upstream said no to http://u:LogMsgSecret7@h/');
    http.app.deps.log.info({ note: `a token pasted into a note: ${http.adminToken}` }, 'free text');
    expect(http.app.deps.logs.text).toContain('[redacted]');
    for (const s of ['LogUrlSecret9', 'LogBearerSecret8', 'LogMsgSecret7', http.adminToken]) expect(http.app.deps.logs.text).not.toContain(s);
  });
});
