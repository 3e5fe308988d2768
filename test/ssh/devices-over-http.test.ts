import { DeviceEmulator, emulatorHostKey } from '../../providers/src/ssh/device-emulator.ts';
import { startProduct, type RunningProduct } from '../support/product.ts';

/**
 * The control plane as operators run it (a child process, over HTTP), with a network device EMULATOR on
 * loopback: host key refused → accepted → registered → probed; then the device is replaced behind Ganyun's
 * back and the changed key shows as an alarm on /metrics and in the audit trail (the app's own wiring).
 */
const ADMIN_PASSWORD = 'Devices-Over-Http-1';
const DEVICE_PASSWORD = 'Emulated-Http-Secret-9';

describe('devices over HTTP (control-plane process + device EMULATOR)', () => {
  let product: RunningProduct;
  let emulator: DeviceEmulator;
  let port: number;
  let token = '';

  async function call<T>(path: string, input: unknown, method: 'GET' | 'POST'): Promise<{ status: number; data?: T; error?: { message: string; data?: { fieldErrors?: Record<string, string[]> } } }> {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
    const res = method === 'GET'
      ? await fetch(`${product.url}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers })
      : await fetch(`${product.url}/trpc/${path}`, { method, headers, body: JSON.stringify(input) });
    const body = (await res.json()) as { result?: { data: T }; error?: { message: string } };
    return { status: res.status, ...(body.result ? { data: body.result.data } : {}), ...(body.error ? { error: body.error } : {}) };
  }

  beforeAll(async () => {
    product = await startProduct({ GANYUN_ADMIN_PASSWORD: ADMIN_PASSWORD });
    emulator = new DeviceEmulator({ vendor: 'huawei-vrp', hostKey: emulatorHostKey(), username: 'ganyun', password: DEVICE_PASSWORD, shellOnly: true });
    port = await emulator.listen();
    const login = await call<{ token: string }>('auth.login', { username: 'admin', password: ADMIN_PASSWORD }, 'POST');
    token = login.data!.token;
  }, 90_000);

  afterAll(async () => {
    await emulator?.close();
    await product?.stop();
  }, 30_000);

  it('registers a device only after its key is accepted, probes through it, and alarms when the device is replaced', async () => {
    const device = {
      id: 'sw-http', name: '测试交换机', nameEn: 'HTTP test switch', region: '3601', kind: 'general', siteRoles: ['production'], certifications: [3],
      providerKind: 'network-device', host: '127.0.0.1', port, username: 'ganyun', vendor: 'huawei-vrp',
      credential: { type: 'password', password: DEVICE_PASSWORD },
    };
    const scan = await call<{ fingerprint: string; status: string }>('devices.scanHostKey', { host: '127.0.0.1', port }, 'GET');
    expect(scan.data?.status).toBe('unknown');
    const refused = await call('devices.registerDevice', device, 'POST');
    expect([refused.status, Object.keys(refused.error?.data?.fieldErrors ?? {})]).toEqual([400, ['host']]);
    expect(refused.error?.message).toContain(scan.data!.fingerprint);

    expect((await call('devices.acceptHostKey', { host: '127.0.0.1', port, fingerprint: scan.data!.fingerprint }, 'POST')).status).toBe(200);
    expect((await call('devices.registerDevice', device, 'POST')).status).toBe(200);
    const probe = await call<{ outcome: string; vpnInstance: string }>('devices.runProbe', { cloudId: 'sw-http', target: '10.1.1.1', vpnInstance: 'GOV', count: 2 }, 'POST');
    expect([probe.data?.outcome, probe.data?.vpnInstance]).toEqual(['reachable', 'GOV']);

    // Replaced behind Ganyun's back: same address, another key. Ganyun's pooled session goes with the old device.
    await emulator.close();
    emulator = new DeviceEmulator({ vendor: 'huawei-vrp', hostKey: emulatorHostKey(), username: 'ganyun', password: DEVICE_PASSWORD });
    await emulator.listen(port);
    const health = await call<{ status: string; message: string }>('clouds.checkHealth', { id: 'sw-http' }, 'POST');
    expect([health.data?.status, health.data?.message]).toEqual(['down', jasmine.stringContaining('host-key-changed')]);
    expect(emulator.commands).toEqual([]);

    // The alarm is written after the refusal, on its own: poll briefly.
    let alarms: { presentedFingerprint: string }[] = [];
    for (let i = 0; i < 40 && alarms.length === 0; i++) {
      alarms = (await call<{ items: { presentedFingerprint: string }[] }>('devices.alarms', { open: true }, 'GET')).data?.items ?? [];
      if (!alarms.length) await new Promise((r) => setTimeout(r, 100));
    }
    expect(alarms.length).toBe(1);
    const metrics = await (await fetch(`${product.url}/metrics`)).text();
    expect(metrics).toMatch(/ganyun_ssh_host_key_alarms_total\{cloud="sw-http"\} [1-9]/);
    const audit = await call<{ items: { procedure: string }[] }>('audit.list', { procedure: 'ssh.hostKeyChanged' }, 'GET');
    expect(audit.data?.items.length).toBeGreaterThan(0);
    expect(product.output()).not.toContain(DEVICE_PASSWORD);
  }, 60_000);
});
