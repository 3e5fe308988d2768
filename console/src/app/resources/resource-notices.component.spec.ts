import type { ApiOutputs } from '../core/api-types';
import { apiError, press, type FakeApi, setUpConsoleSpec, texts, renderComponent } from '../../testing/test-helpers';
import { ResourceNoticesComponent } from './resource-notices.component';

type Notice = ApiOutputs['resources']['notices']['items'][number];
const notice = (over: Partial<Notice> = {}): Notice => ({
  id: 'n-1', kind: 'expiry', resourceId: 'r-1', resourceName: 'web-1', resourceKind: 'host', systemId: 's-1', systemName: '社保查询系统',
  dueAt: '2027-01-31T00:00:00.000Z', createdAt: '2027-01-24T00:00:00.000Z', readAt: null, ...over,
});

describe('ResourceNoticesComponent', () => {
  let api: FakeApi;
  beforeEach(() => {
    api = setUpConsoleSpec({ imports: [ResourceNoticesComponent] });
  });

  const render = () => renderComponent(ResourceNoticesComponent);

  it('lists the caller’s end-date notices, unread counted, each linking to its system', async () => {
    api.resources.notices.query.and.resolveTo({ items: [notice(), notice({ id: 'n-2', resourceName: 'data', resourceKind: 'volume', readAt: '2027-01-25T00:00:00.000Z' })], nextCursor: null });
    const { el } = await render();
    expect(api.resources.notices.query).toHaveBeenCalledWith({ unreadOnly: false, limit: 20 });
    expect(texts('.notice .text', el)[0]).toMatch(/^云主机 web-1 将于 2027-01-31 \d\d:\d\d 到期/);
    expect(texts('.unread-count', el)).toEqual(['1']);
    expect(el.querySelectorAll('button.mark-read').length).toBe(1);
    expect(el.querySelector('.notice a.system-link')?.getAttribute('href')).toBe('/systems/s-1');
  });

  it('marks one read on the server and shows it read', async () => {
    api.resources.notices.query.and.resolveTo({ items: [notice()], nextCursor: null });
    api.resources.markNoticeRead.mutate.and.resolveTo({ id: 'n-1' });
    const { fixture, el } = await render();
    await press(fixture, el.querySelector('button.mark-read'));
    expect(api.resources.markNoticeRead.mutate).toHaveBeenCalledOnceWith({ id: 'n-1' });
    expect(el.querySelector('button.mark-read')).toBeNull();
    expect(el.querySelector('.notice.read')).not.toBeNull();
    expect(el.querySelector('.unread-count')).toBeNull();
  });

  it('a refused mark leaves the notice unread and says why', async () => {
    api.resources.notices.query.and.resolveTo({ items: [notice()], nextCursor: null });
    api.resources.markNoticeRead.mutate.and.rejectWith(apiError('NOT_FOUND', { code: 'notFound' }));
    const { fixture, el } = await render();
    await press(fixture, el.querySelector('button.mark-read'));
    expect(el.querySelector('button.mark-read')).not.toBeNull();
    expect(el.querySelector('app-error-alert .ant-alert')).not.toBeNull();
  });

  it('shows nothing when there are no notices', async () => {
    api.resources.notices.query.and.resolveTo({ items: [], nextCursor: null });
    const { el } = await render();
    expect(el.querySelector('.resource-notices')).toBeNull();
  });
});
