import type { Role } from '../core/api-types';
import { press, setUpConsoleSpec, texts, type FakeApi, renderComponent } from '../../testing/test-helpers';
import { DevicesComponent } from './devices.component';
import type { HostKeyAlarm } from './devices-api.service';

const alarm: HostKeyAlarm = {
  id: 7, host: '10.0.0.1', port: 22, cloudId: 'sw-core', expectedFingerprint: 'SHA256:old', presentedFingerprint: 'SHA256:new',
  firstSeenAt: '2026-03-01T00:00:00.000Z', lastSeenAt: '2026-03-01T01:00:00.000Z', occurrences: 3, resolvedAt: null, resolvedBy: null,
};

describe('DevicesComponent', () => {
  let client: FakeApi;
  beforeEach(() => {
    client = setUpConsoleSpec({ imports: [DevicesComponent] });
    client.devices.knownHosts.query.and.resolveTo({ items: [{ host: '10.0.0.1', port: 22, fingerprint: 'SHA256:old', acceptedBy: 'root', acceptedAt: '2026-01-01T00:00:00.000Z' }] });
    client.devices.acceptHostKey.mutate.and.resolveTo({ host: '10.0.0.1', port: 22, fingerprint: 'SHA256:new', replaced: 'SHA256:old', resolvedAlarms: 1 });
    client.devices.alarms.query.and.resolveTo({ items: [alarm], nextCursor: null, total: 1 });
  });

  const render = (roles: Role[]) => renderComponent(DevicesComponent, { me: { roles } });

  it('shows the open host-key alarms and the pinned keys', async () => {
    const { el } = await render(['auditor']);
    expect(client.devices.alarms.query).toHaveBeenCalledWith({ open: true, limit: 50 });
    expect(texts('.alarm-row td', el).slice(1, 4)).toEqual(['SHA256:old', 'SHA256:new', '3']);
    expect(el.querySelector('button.reaccept')).withContext('only admins re-accept').toBeNull();
    expect(texts('.known-hosts tbody td', el).slice(0, 2)).toEqual(['10.0.0.1:22', 'SHA256:old']);
  });

  it('an admin re-accepts the presented key, and the list reloads', async () => {
    const { fixture, el } = await render(['admin']);
    client.devices.alarms.query.and.resolveTo({ items: [], nextCursor: null, total: 0 });
    await press(fixture, el.querySelector('button.reaccept'));
    expect(client.devices.acceptHostKey.mutate).toHaveBeenCalledWith({ host: '10.0.0.1', port: 22, fingerprint: 'SHA256:new' });
    expect(el.querySelector('.no-alarms')).not.toBeNull();
  });

  it('lists the open alarms a page at a time: more reads the next page by its cursor; the banner counts them all', async () => {
    client.devices.alarms.query.and.callFake(async (input) =>
      input?.cursor ? { items: [{ ...alarm, id: 5, host: '10.0.0.5' }], nextCursor: null, total: 2 } : { items: [alarm], nextCursor: 'c-1', total: 2 });
    const { fixture, el } = await render(['auditor']);
    expect(client.devices.alarms.query).toHaveBeenCalledWith({ open: true, limit: 50 });
    expect(texts('.alarm-row td', el)[0]).toContain('10.0.0.1:22');
    expect(el.querySelector('nz-alert')?.textContent).toContain('2');
    await press(fixture, el.querySelector('button.more-alarms'));
    expect(client.devices.alarms.query).toHaveBeenCalledWith({ open: true, limit: 50, cursor: 'c-1' });
    expect(el.querySelectorAll('.alarm-row').length).toBe(2);
    expect(texts('.alarm-row', el)[1]).toContain('10.0.0.5:22');
    expect(el.querySelector('button.more-alarms')).toBeNull();
  });
});
