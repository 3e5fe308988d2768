import type { ApiOutputs, Role } from '../core/api-types';
import { apiError, chooseOption, press, type FakeApi, settle, setUpConsoleSpec, texts, typeInto, renderComponent } from '../../testing/test-helpers';
import { DrCalendarComponent } from './dr-calendar.component';

type Window = ApiOutputs['dr']['calendar']['list']['items'][number];
type Group = ApiOutputs['dr']['protection']['list']['items'][number];
type Plan = ApiOutputs['dr']['plans']['list']['items'][number];

const group = (id: string, name: string) => ({ id, name, departmentId: 'd-1', departmentName: '人社厅', mode: 'active-standby', centres: { production: 'p', sameCity: 's' }, activeCentre: 'p', rtoSeconds: 3600, rpoSeconds: 60, backupIntervalSeconds: null, systemIds: ['s-1'], resources: [], standby: [], createdAt: '', updatedAt: '' }) as Group;
const plan = (id: string, groupId: string, name: string): Plan => ({ id, groupId, name, latestVersion: 1, createdAt: '', updatedAt: '' }) as Plan;
const windowRow = (over: Partial<Window> = {}): Window => ({
  id: 'w-1', groupId: 'g-1', groupName: '社保保护组', departmentId: 'd-1', planId: 'p-1', planName: '社保切换预案', targetCentre: 'jx-province/jxp-dr',
  windowStart: '2026-12-10T18:00:00.000Z', windowEnd: '2026-12-10T22:00:00.000Z', ownerId: 'u-1', owner: 'ops', note: '', capacity: { vcpu: 8, memoryGiB: 16, storageGiB: 100 },
  reservationId: 'q-1', status: 'scheduled', reason: '', runId: null, runStatus: null, createdAt: '', ...over,
});

describe('DrCalendarComponent', () => {
  let api: FakeApi;

  beforeEach(() => {
    api = setUpConsoleSpec({ imports: [DrCalendarComponent] });
    api.dr.calendar.list.query.and.resolveTo({
      items: [windowRow(), windowRow({ id: 'w-2', status: 'scheduled', reservationId: null, reason: 'the group already has a switchover running' }), windowRow({ id: 'w-3', status: 'missed', reservationId: null, reason: 'the window closed before the drill could start' })],
      overdue: [{ systemId: 's-9', name: '交通一卡通', departmentName: '交通厅', drLevel: 4, groupId: 'g-9', daysSinceDrill: 400 }],
    });
  });

  const render = (roles: Role[]) =>
    renderComponent(DrCalendarComponent, {
      me: { roles, departmentId: 'd-1', departmentName: '人社厅' },
      inputs: {
        groups: [group('g-1', '社保保护组'), group('g-2', '医保保护组')],
        plans: [plan('p-1', 'g-1', '社保切换预案'), plan('p-2', 'g-2', '医保切换预案')],
        centreName: (id: string) => (id === 'jx-province/jxp-dr' ? '同城灾备中心' : id),
      },
    });

  it('lists the windows with their state and why a drill waits or was missed, and names the overdue systems; a department reads only', async () => {
    const { el } = await render(['department-user']);
    expect(texts('tr[data-window] .status nz-tag', el)).toEqual(['已预约', '已预约', '已错过']);
    expect(texts('tr[data-window] .reason', el)).toEqual(['灾备中心资源已预留', 'the group already has a switchover running', 'the window closed before the drill could start']);
    expect(el.querySelector('tr[data-window="w-1"]')!.textContent).toContain('同城灾备中心');
    expect(el.querySelector('.overdue')!.textContent).toContain('交通一卡通（交通厅，4）');
    expect(el.querySelector('button.book')).toBeNull();
    expect(el.querySelector('button.cancel-window')).toBeNull();
  });

  it('books a window for the chosen group and plan, sending instants, and reloads', async () => {
    api.dr.calendar.schedule.mutate.and.resolveTo(windowRow({ id: 'w-new' }));
    const { fixture, el } = await render(['cloud-operator']);
    await press(fixture, el.querySelector('button.book'));
    await chooseOption(fixture, document.querySelector('.group-select'), '医保保护组');
    typeInto(document.querySelector('#cal-start'), '2026-12-20T02:00');
    typeInto(document.querySelector('#cal-end'), '2026-12-20T06:00');
    typeInto(document.querySelector('#cal-note'), ' 季度演练 ');
    await settle(fixture);
    await press(fixture, document.querySelector('.ant-modal-footer .save'));
    expect(api.dr.calendar.schedule.mutate).toHaveBeenCalledOnceWith({
      groupId: 'g-2', planId: 'p-2', windowStart: new Date('2026-12-20T02:00').toISOString(), windowEnd: new Date('2026-12-20T06:00').toISOString(), note: '季度演练',
    });
    expect(api.dr.calendar.list.query).toHaveBeenCalledTimes(2);
  });

  it('shows the server’s refusal of an overlapping window in the dialog and keeps it open', async () => {
    api.dr.calendar.schedule.mutate.and.rejectWith(apiError('CONFLICT', { code: 'conflict.overlap', path: ['windowStart'] }));
    const { fixture, el } = await render(['cloud-operator']);
    await press(fixture, el.querySelector('button.book'));
    await press(fixture, document.querySelector('.ant-modal-footer .save'));
    expect(document.querySelector('[data-field="windowStart"]')!.textContent).toContain('与已有条目重叠');
    expect(document.querySelector('.ant-modal')).not.toBeNull();
  });

  it('cancels a booked window and reloads', async () => {
    api.dr.calendar.cancel.mutate.and.resolveTo(windowRow({ status: 'cancelled' }));
    const { fixture, el } = await render(['cloud-operator']);
    expect(el.querySelectorAll('button.cancel-window').length).toBe(2); // missed windows cannot be cancelled
    await press(fixture, el.querySelector('tr[data-window="w-1"] button.cancel-window'));
    expect(api.dr.calendar.cancel.mutate).toHaveBeenCalledOnceWith({ id: 'w-1' });
    expect(api.dr.calendar.list.query).toHaveBeenCalledTimes(2);
  });
});
