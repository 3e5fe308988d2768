import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import { API } from './api-client';
import { toApiError } from './api-error';
import { SessionStore } from './session';
import { clearStorage, createFakeApi, sampleMe, testProviders } from '../../testing/test-helpers';

/** The real client (the API token's own factory) against a stubbed `fetch`: what goes on the wire, and what a 401 does. */
describe('API client', () => {
  let fetchSpy: jasmine.Spy<typeof fetch>;

  beforeEach(() => {
    clearStorage();
    const providers = testProviders(createFakeApi()).filter(
      (p) => !(typeof p === 'object' && 'provide' in p && p.provide === API),
    );
    TestBed.configureTestingModule({ providers });
    fetchSpy = spyOn(window, 'fetch');
  });

  const json = (status: number, body: unknown) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

  it('sends queries to /trpc with the bearer token and no transformer envelope', async () => {
    TestBed.inject(SessionStore).start('tok-9', '2099-01-01T00:00:00.000Z', sampleMe());
    fetchSpy.and.resolveTo(json(200, { result: { data: { items: [], nextCursor: null } } }));

    const result = await TestBed.inject(API).users.list.query({ search: '张' });

    expect(result).toEqual({ items: [], nextCursor: null });
    const [url, init] = fetchSpy.calls.mostRecent().args;
    expect(String(url)).toBe(`/trpc/users.list?input=${encodeURIComponent(JSON.stringify({ search: '张' }))}`);
    expect(new Headers(init?.headers).get('authorization')).toBe('Bearer tok-9');
  });

  it('reads the code, status, reason and field problems of a failed call', async () => {
    fetchSpy.and.resolveTo(
      json(400, {
        error: {
          message: 'creditCode: bad check digit',
          code: -32600,
          data: {
            code: 'BAD_REQUEST',
            httpStatus: 400,
            reason: { code: 'input.invalid', path: ['creditCode'], params: { count: 1 }, issues: [{ path: ['creditCode'], code: 'input.rule' }] },
            fieldErrors: { creditCode: ['bad check digit'] },
          },
        },
      }),
    );

    const err = await TestBed.inject(API)
      .departments.create.mutate({ name: 'x', creditCode: 'y', parentId: null, divisionCode: '360000' })
      .then(() => null, (e: unknown) => e);

    expect(toApiError(err)).toEqual({
      code: 'BAD_REQUEST',
      status: 400,
      reason: { code: 'input.invalid', path: ['creditCode'], params: { count: 1 }, issues: [{ path: ['creditCode'], code: 'input.rule' }] },
      serverMessage: 'creditCode: bad check digit',
      // The server's English field text rides along only for the English screen (error-text.ts).
      fields: [{ path: 'creditCode', problem: { code: 'input.rule', issue: true, detail: 'bad check digit' } }],
    });
  });

  it('opens a subscription with a single-use ticket fetched with the header token, never the token in the URL', async () => {
    TestBed.inject(SessionStore).start('tok-9', '2099-01-01T00:00:00.000Z', sampleMe());
    fetchSpy.and.resolveTo(json(200, { result: { data: { ticket: 'gyt_ticket-1', expiresInSeconds: 30 } } }));
    const listen = spyOn(EventSource.prototype, 'addEventListener').and.callThrough();

    const sub = TestBed.inject(API).audit.onAppend.subscribe(undefined, { onData: () => undefined });
    await new Promise<void>((resolve) => {
      const wait = () => (listen.calls.count() ? resolve() : setTimeout(wait, 10));
      wait();
    });
    sub.unsubscribe();

    const [url, init] = fetchSpy.calls.first().args;
    expect(String(url)).toBe('/trpc/streams.ticket');
    expect(init?.method).toBe('POST');
    expect(new Headers(init?.headers).get('authorization')).toBe('Bearer tok-9');
    const streamUrl = decodeURIComponent((listen.calls.first().object as EventSource).url);
    expect(streamUrl).toContain('/trpc/audit.onAppend');
    expect(streamUrl).toContain('"ticket":"gyt_ticket-1"');
    expect(streamUrl).not.toContain('tok-9');
  });

  it('ends the session and goes to /login when the token is refused', async () => {
    const session = TestBed.inject(SessionStore);
    session.start('expired', '2099-01-01T00:00:00.000Z', sampleMe());
    const navigate = spyOn(TestBed.inject(Router), 'navigate').and.resolveTo(true);
    fetchSpy.and.resolveTo(
      json(401, { error: { message: 'token expired', code: -32001, data: { code: 'UNAUTHORIZED', httpStatus: 401 } } }),
    );

    await expectAsync(TestBed.inject(API).auth.me.query()).toBeRejected();

    expect(session.signedIn()).toBeFalse();
    expect(sessionStorage.getItem('ganyun.token')).toBeNull();
    expect(navigate).toHaveBeenCalledOnceWith(['/login']);
  });

  it('marks the session when the server says the password must be changed first (issue 17.8)', async () => {
    const session = TestBed.inject(SessionStore);
    session.start('tok', '2099-01-01T00:00:00.000Z', sampleMe());
    fetchSpy.and.resolveTo(
      json(403, { error: { message: 'change your password', code: -32003, data: { code: 'FORBIDDEN', httpStatus: 403, reason: { code: 'auth.passwordChangeRequired' } } } }),
    );

    await expectAsync(TestBed.inject(API).users.list.query({})).toBeRejected();

    expect(session.signedIn()).toBeTrue();
    expect(session.user()?.mustChangePassword).toBeTrue();
  });

  it('leaves a failed sign-in (no token yet) to the login form', async () => {
    const navigate = spyOn(TestBed.inject(Router), 'navigate').and.resolveTo(true);
    fetchSpy.and.resolveTo(
      json(401, { error: { message: 'bad password', code: -32001, data: { code: 'UNAUTHORIZED', httpStatus: 401 } } }),
    );

    await expectAsync(TestBed.inject(API).auth.login.mutate({ username: 'a', password: 'b' })).toBeRejected();

    expect(navigate).not.toHaveBeenCalled();
  });
});
