import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import { apiError, press, renderComponent, sampleCloud, settle, setUpConsoleSpec, signIn, typeInto } from '../../testing/test-helpers';
import { DeviceRegisterComponent } from './device-register.component';
import { DevicesApiService } from './devices-api.service';

const FP = 'SHA256:Hn0VvXvT0GmkRGhWbJ4m8m8Jd4Zl9y7b2cA3wB5eF6g';

describe('DeviceRegisterComponent', () => {
  let api: jasmine.SpyObj<DevicesApiService>;

  beforeEach(() => {
    api = jasmine.createSpyObj<DevicesApiService>('DevicesApiService', ['scanHostKey', 'acceptHostKey', 'registerDevice', 'registerCluster']);
    api.scanHostKey.and.resolveTo({ host: '10.0.0.1', port: 22, fingerprint: FP, status: 'unknown', pinned: null });
    api.acceptHostKey.and.resolveTo({ host: '10.0.0.1', port: 22, fingerprint: FP, replaced: null, resolvedAlarms: 0 });
    api.registerDevice.and.resolveTo({ ...sampleCloud({ id: 'sw-core', providerKind: 'network-device' }) });
    api.registerCluster.and.resolveTo({ ...sampleCloud({ id: 'nc-k8s', providerKind: 'kubernetes' }), insecureSkipTlsVerify: true });
    setUpConsoleSpec({ imports: [DeviceRegisterComponent], providers: [{ provide: DevicesApiService, useValue: api }] });
    signIn({ roles: ['admin'] });
  });

  async function render() {
    const { fixture, el } = await renderComponent(DeviceRegisterComponent);
    const field = (name: string) => el.querySelector(`[data-field="${name}"] input, [data-field="${name}"] textarea`);
    return { fixture, el, field };
  }

  it('a device registers only after its host key was read, shown and accepted', async () => {
    const navigate = spyOn(TestBed.inject(Router), 'navigate').and.resolveTo(true);
    const { fixture, el, field } = await render();
    typeInto(field('id'), 'sw-core');
    typeInto(field('name'), '核心交换机');
    typeInto(field('nameEn'), 'Core switch');
    typeInto(field('host'), '10.0.0.1');
    typeInto(el.querySelector('#dev-user'), 'ganyun');
    typeInto(el.querySelector('#dev-password'), 'S3cret-pass');
    await settle(fixture);
    expect((el.querySelector('button.submit') as HTMLButtonElement).disabled).withContext('no key pinned yet').toBeTrue();

    await press(fixture, el.querySelector('button.scan-key'));
    expect(api.scanHostKey).toHaveBeenCalledWith('10.0.0.1', 22);
    expect(el.querySelector('.host-key code.fingerprint')?.textContent).toBe(FP);
    expect(el.querySelector('.host-key')?.getAttribute('data-status')).toBe('unknown');

    await press(fixture, el.querySelector('button.accept-key'));
    expect(api.acceptHostKey).toHaveBeenCalledWith('10.0.0.1', 22, FP);
    expect(el.querySelector('.host-key')?.getAttribute('data-status')).toBe('pinned');

    await press(fixture, el.querySelector('button.submit'));
    expect(api.registerDevice).toHaveBeenCalledWith(jasmine.objectContaining({
      id: 'sw-core', providerKind: 'network-device', host: '10.0.0.1', port: 22, username: 'ganyun', vendor: 'huawei-vrp',
      credential: { type: 'password', password: 'S3cret-pass' },
    }));
    expect(navigate).toHaveBeenCalledWith(['/clouds', 'sw-core', 'device']);
  });

  it('changing the host after accepting asks for the key again', async () => {
    const { fixture, el, field } = await render();
    typeInto(field('host'), '10.0.0.1');
    await press(fixture, el.querySelector('button.scan-key'));
    await press(fixture, el.querySelector('button.accept-key'));
    expect((el.querySelector('button.submit') as HTMLButtonElement).disabled).toBeFalse();
    typeInto(field('host'), '10.0.0.2');
    await settle(fixture);
    expect((el.querySelector('button.submit') as HTMLButtonElement).disabled).toBeTrue();
  });

  it('a changed key is shown as changed, with the pinned fingerprint beside it', async () => {
    api.scanHostKey.and.resolveTo({ host: '10.0.0.1', port: 22, fingerprint: FP, status: 'changed', pinned: { fingerprint: 'SHA256:old', acceptedBy: 'root', acceptedAt: '2026-01-01T00:00:00.000Z' } });
    const { fixture, el, field } = await render();
    typeInto(field('host'), '10.0.0.1');
    await press(fixture, el.querySelector('button.scan-key'));
    expect(el.querySelector('.host-key')?.getAttribute('data-status')).toBe('changed');
    expect(el.querySelector('.host-key .expected')?.textContent).toContain('SHA256:old');
  });

  it('shows the server refusal of the credential', async () => {
    api.registerDevice.and.rejectWith(apiError('BAD_REQUEST', { code: 'input.rejected', path: ['credential'] }));
    const { fixture, el, field } = await render();
    typeInto(field('id'), 'sw-core');
    typeInto(field('name'), '核心交换机');
    typeInto(field('nameEn'), 'Core switch');
    typeInto(field('host'), '10.0.0.1');
    await press(fixture, el.querySelector('button.scan-key'));
    await press(fixture, el.querySelector('button.accept-key'));
    await press(fixture, el.querySelector('button.submit'));
    expect(el.querySelector('.credential-error')?.textContent).toContain('输入的值不被接受');
  });

  it('a cluster: skipping TLS verification shows the warning and is sent explicitly', async () => {
    const navigate = spyOn(TestBed.inject(Router), 'navigate').and.resolveTo(true);
    const { fixture, el, field } = await render();
    await press(fixture, el.querySelector('[data-kind="kubernetes"]'));
    expect(el.querySelector('.scan-key')).toBeNull();
    typeInto(field('id'), 'nc-k8s');
    typeInto(field('name'), '南昌容器云');
    typeInto(field('nameEn'), 'Nanchang containers');
    typeInto(el.querySelector('[data-field="credential.kubeconfig"] textarea'), 'apiVersion: v1\nkind: Config\n');
    expect(el.querySelector('.insecure-warning')).toBeNull();
    await press(fixture, el.querySelector('.insecure input'));
    expect(el.querySelector('.insecure-warning')).not.toBeNull();
    await press(fixture, el.querySelector('button.submit'));
    expect(api.registerCluster).toHaveBeenCalledWith(jasmine.objectContaining({
      id: 'nc-k8s', insecureSkipTlsVerify: true, credential: { type: 'kubeconfig', kubeconfig: 'apiVersion: v1\nkind: Config\n' },
    }));
    expect(navigate).toHaveBeenCalledWith(['/clouds', 'nc-k8s', 'device']);
  });
});
