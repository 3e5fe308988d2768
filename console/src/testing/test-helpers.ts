/**
 * Shared spec setup: the typed fake of the API client (the console's only way to the server), the app-wide
 * providers a component needs, sample records and small DOM helpers.
 */
import { EnvironmentProviders, Provider, Type, provideZonelessChangeDetection } from '@angular/core';
import { ComponentFixture, TestBed } from '@angular/core/testing';
import { Routes, provideRouter } from '@angular/router';
import { provideNzNoAnimation } from 'ng-zorro-antd/core/animation';
import { provideNzI18n, zh_CN } from 'ng-zorro-antd/i18n';
import { provideNzIcons } from 'ng-zorro-antd/icon';
import { createFakeApi as createBareFakeApi, provideFakeApi, type FakeApi } from './fake-api';
import type {
  AuditRecord,
  CloudDetail,
  CloudSummary,
  Department,
  Me,
  User,
  Workflow,
  WorkflowDetail,
  WorkflowProgressEvent,
  WorkflowStep,
} from '../app/core/api-types';
import { APP_ICONS } from '../app/icons';
import { SessionStore } from '../app/core/session';

export type { FakeApi };

/**
 * The typed fake client (see fake-api.ts) with the answers most pages read on the way in
 * (lists empty, the system's version), so a spec only sets up what it checks.
 */
export function createFakeApi(): FakeApi {
  const api = createBareFakeApi();
  api.users.list.query.and.resolveTo({ items: [], nextCursor: null });
  api.departments.list.query.and.resolveTo({ items: [] });
  api.divisions.list.query.and.resolveTo({ items: [] });
  api.audit.list.query.and.resolveTo({ items: [], nextCursor: null });
  api.instance.info.query.and.resolveTo({ version: '0.1.0', store: 'pglite' });
  api.clouds.list.query.and.resolveTo({ items: [] });
  api.workflows.list.query.and.resolveTo({ items: [], nextCursor: null });
  api.workflows.onProgress.subscribe.and.returnValue({ unsubscribe: jasmine.createSpy('unsubscribe') });
  api.clouds.inventory.query.and.resolveTo({ items: [], nextCursor: null });
  api.clouds.sync.mutate.and.resolveTo({ syncId: 's-1' } as never);
  api.clouds.checkHealth.mutate.and.resolveTo({ status: 'up', message: null, checkedAt: '2026-03-01T02:03:04.000Z', latencyMs: 20 } as never);
  api.clouds.setFaults.mutate.and.resolveTo({} as never);
  api.auth.logout.mutate.and.resolveTo({ ok: true });
  return api;
}

export function testProviders(api: FakeApi, routes: Routes = []): (Provider | EnvironmentProviders)[] {
  return [
    provideZonelessChangeDetection(),
    provideRouter(routes),
    provideNzI18n(zh_CN),
    provideNzIcons(APP_ICONS),
    provideNzNoAnimation(),
    provideFakeApi(api),
  ];
}

/** Language and session live in browser storage; each spec starts from none. */
export function clearStorage(): void {
  localStorage.clear();
  sessionStorage.clear();
}

/**
 * The start of a console spec: no storage left from the last spec, a fresh fake API (with the defaults above), and
 * the TestBed with the app-wide providers, the routes when the spec navigates, and the component under test.
 * Returns the fake API for the spec to stub further (before it creates the component).
 */
export function setUpConsoleSpec(
  options: { imports?: unknown[]; routes?: Routes; providers?: (Provider | EnvironmentProviders)[] } = {},
): FakeApi {
  clearStorage();
  const api = createFakeApi();
  TestBed.configureTestingModule({
    imports: options.imports ?? [],
    providers: [...testProviders(api, options.routes), ...(options.providers ?? [])],
  });
  return api;
}

/** Signs in as the sample user with these changes (roles, department…), as a page sees a session. */
export function signIn(me: Partial<Me> = {}): void {
  TestBed.inject(SessionStore).start('tok', '2099-01-01T00:00:00.000Z', sampleMe(me));
}

export interface Rendered<T> {
  fixture: ComponentFixture<T>;
  el: HTMLElement;
}

/**
 * Renders the component under test the way a spec looks at a page: signed in first when `me` is given, its
 * inputs set, then settled (its first reads answered). Returns the fixture and its element.
 */
export async function renderComponent<T>(
  component: Type<T>,
  options: { inputs?: Record<string, unknown>; me?: Partial<Me> } = {},
): Promise<Rendered<T>> {
  if (options.me) signIn(options.me);
  const fixture = TestBed.createComponent(component);
  for (const [name, value] of Object.entries(options.inputs ?? {})) fixture.componentRef.setInput(name, value);
  await settle(fixture);
  return { fixture, el: fixture.nativeElement as HTMLElement };
}

const STATUS_OF: Record<string, number> = {
  BAD_REQUEST: 400, UNAUTHORIZED: 401, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409, UNPROCESSABLE_CONTENT: 422,
  TOO_MANY_REQUESTS: 429, INTERNAL_SERVER_ERROR: 500,
};

/** What the server sends in `error.data.reason` (control-plane/src/error-mapping.ts). */
export interface ReasonFixture {
  code: string;
  path?: string[];
  params?: Record<string, string | number>;
  issues?: { path: string[]; code: string; params?: Record<string, string | number> }[];
}

/** The English sentence every fake refusal carries: a spec can check that it never reaches the page. */
export const SERVER_TEXT = 'server sentence the console must not show';

/**
 * An error shaped like a TRPCClientError as the server sends it: the tRPC code, the HTTP status, the stable
 * reason the console renders, and an English `message` it must not render.
 */
export function apiError(code: string, reason?: ReasonFixture, message = SERVER_TEXT): Error {
  return Object.assign(new Error(message), { data: { code, httpStatus: STATUS_OF[code] ?? 500, ...(reason ? { reason } : {}) } });
}

/** Lets promises started by clicks (outside PendingTasks) finish, then renders. */
export async function settle(fixture: ComponentFixture<unknown>): Promise<void> {
  for (let i = 0; i < 4; i++) {
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
  }
}

/** Types into an input or a textarea; `blur` then leaves it (nz-input-number takes its value on blur). */
export function typeInto(input: Element | null, value: string, options: { blur?: boolean } = {}): void {
  if (!(input instanceof HTMLInputElement || input instanceof HTMLTextAreaElement)) throw new Error('no input to type into');
  input.value = value;
  input.dispatchEvent(new Event('input'));
  if (options.blur) input.dispatchEvent(new Event('blur'));
}

export function click(el: Element | null): void {
  if (!(el instanceof HTMLElement)) throw new Error('nothing to click');
  el.click();
}

/** Clicks and lets what the click started (a request, a dialog opening) finish, then renders. */
export async function press(fixture: ComponentFixture<unknown>, el: Element | null): Promise<void> {
  click(el);
  await settle(fixture);
}

/** Clicks Save in the open form dialog (app-form-dialog's footer) and lets the request finish. */
export async function saveDialog(fixture: ComponentFixture<unknown>): Promise<void> {
  await press(fixture, document.querySelector('.ant-modal-footer button.save'));
}

/** Texts of all elements matching a selector anywhere in the page (dialogs live in the overlay). */
export function texts(selector: string, root: ParentNode = document): string[] {
  return Array.from(root.querySelectorAll(selector)).map((e) => (e.textContent ?? '').trim());
}

/** Opens an nz-select and clicks the option with this label (options render in the overlay). */
export async function chooseOption(
  fixture: ComponentFixture<unknown>,
  select: Element | null,
  label: string,
): Promise<void> {
  click(select?.querySelector('.ant-select-selector') ?? select);
  await settle(fixture);
  const option = Array.from(document.querySelectorAll('nz-option-item')).find(
    (o) => (o.textContent ?? '').trim() === label,
  );
  if (!option) throw new Error(`option "${label}" not found`);
  click(option);
  await settle(fixture);
}

/**
 * Types into a system picker (app-system-picker, core/pickers) and clicks the match with this name. The API's
 * `systems.list` must answer the search; the picker is given no debounce wait beyond its default here, so the
 * helper waits it out with real time (zoneless specs have no fake clock).
 */
export async function chooseSystem(fixture: ComponentFixture<unknown>, picker: Element | null, name: string): Promise<void> {
  const input = picker?.querySelector('input[role="combobox"]');
  typeInto(input ?? null, name);
  await new Promise((resolve) => setTimeout(resolve, 300));
  await settle(fixture);
  const option = Array.from(picker!.querySelectorAll('[role="option"]')).find((o) => o.querySelector('.name')?.textContent?.trim() === name);
  if (!option) throw new Error(`system "${name}" not offered`);
  click(option);
  await settle(fixture);
}

export const sampleMe = (over: Partial<Me> = {}): Me => ({
  id: 'u-1',
  username: 'admin',
  displayName: '管理员',
  departmentId: null,
  departmentName: null,
  roles: ['admin'],
  mustChangePassword: false,
  ...over,
});

export const sampleUser = (over: Partial<User> = {}): User => ({
  id: 'u-2',
  username: 'zhangsan',
  displayName: '张三',
  departmentId: 'd-1',
  departmentName: '江西省大数据中心',
  roles: ['cloud-operator'],
  disabled: false,
  locked: false,
  createdAt: '2026-01-05T08:00:00.000Z',
  ...over,
});

export const sampleDepartment = (over: Partial<Department> = {}): Department => ({
  id: 'd-1',
  name: '江西省大数据中心',
  creditCode: '12360000MB1234567X',
  parentId: null,
  parentName: null,
  divisionCode: '360000',
  divisionName: '江西省',
  createdAt: '2026-01-01T00:00:00.000Z',
  ...over,
});

/** Cast: the server's record carries more (hash-chain fields) than the console reads. */
export const sampleAudit = (over: Partial<AuditRecord> = {}): AuditRecord =>
  ({
    seq: 1,
    at: '2026-03-01T02:03:04.000Z',
    actorId: 'u-1',
    actor: 'admin',
    role: 'admin',
    procedure: 'users.create',
    target: 'u-2',
    outcome: 'ok',
    before: null,
    after: { username: 'zhangsan' },
    requestId: 'req-1',
    error: null,
    ...over,
  }) as AuditRecord;

export const sampleCloud = (over: Partial<CloudSummary> = {}): CloudSummary => ({
  id: 'jx-province',
  name: '江西省政务云',
  nameEn: 'Jiangxi Provincial Government Cloud',
  providerKind: 'simulated',
  endpoint: null,
  region: '3601',
  regionName: '南昌市',
  kind: 'general',
  siteRoles: ['production', 'same-city-dr'],
  certifications: [3, 4],
  dualActive: true,
  enabled: true,
  health: { status: 'up', checkedAt: new Date(Date.now() - 12_000).toISOString(), latencyMs: 35, message: null },
  circuit: 'closed',
  circuits: { read: 'closed', mutate: 'closed', inventory: 'closed', health: 'closed' },
  capacity: [
    { arch: 'x86_64', vendor: 'intel', resourceClass: 'vcpu', total: 1000, used: 250, overcommit: 2 },
    { arch: 'x86_64', vendor: 'intel', resourceClass: 'memoryGiB', total: 4096, used: 1024, overcommit: 1 },
    { arch: 'arm64', vendor: 'kunpeng', resourceClass: 'vcpu', total: 1000, used: 750, overcommit: 1 },
  ],
  lastSync: { at: '2026-03-01T02:03:04.000Z', status: 'succeeded', objects: 1234, durationMs: 900 },
  resourceCount: 1234,
  ...over,
});

export const sampleCloudDetail = (over: Partial<CloudDetail> = {}): CloudDetail => ({
  ...sampleCloud(),
  healthHistory: [{ at: '2026-03-01T02:00:00.000Z', status: 'up', latencyMs: 30, message: null }],
  syncs: [
    {
      id: 's-1',
      mode: 'full',
      status: 'succeeded',
      startedAt: '2026-03-01T02:03:03.000Z',
      finishedAt: '2026-03-01T02:03:04.000Z',
      objects: 1234,
      created: 3,
      updated: 2,
      deleted: 1,
      error: null,
    },
  ],
  drift: [],
  faults: {},
  ...over,
});

export const sampleWorkflow = (over: Partial<Workflow> = {}): Workflow => ({
  id: 'w-1',
  kind: 'onboarding',
  title: '接入「社保业务系统」',
  status: 'running',
  input: {},
  departmentId: 'd-1',
  createdBy: 'u-1',
  error: null,
  stepsTotal: 3,
  stepsDone: 1,
  createdAt: '2026-03-01T02:00:00.000Z',
  updatedAt: '2026-03-01T02:00:05.000Z',
  finishedAt: null,
  ...over,
});

export const sampleStep = (over: Partial<WorkflowStep> = {}): WorkflowStep => ({
  key: 'tenant',
  action: 'cloud.createTenantSpace',
  dependsOn: [],
  status: 'pending',
  attempts: 0,
  maxAttempts: 3,
  output: null,
  error: null,
  attention: null,
  outcomeUnknown: false,
  startedAt: null,
  finishedAt: null,
  ...over,
});

export const sampleWorkflowDetail = (over: Partial<WorkflowDetail> = {}): WorkflowDetail => ({
  ...sampleWorkflow(),
  steps: [
    sampleStep({ key: 'place', action: 'policy.place', status: 'succeeded', attempts: 1, startedAt: '2026-03-01T02:00:01.000Z', finishedAt: '2026-03-01T02:00:02.000Z' }),
    sampleStep({ key: 'tenant', dependsOn: ['place'] }),
    sampleStep({ key: 'quota', action: 'quota.set', dependsOn: ['tenant'] }),
  ],
  ...over,
});

export const progressEvent = (over: Partial<WorkflowProgressEvent> = {}): WorkflowProgressEvent => ({
  seq: 1,
  workflowId: 'w-1',
  at: '2026-03-01T02:00:06.000Z',
  kind: 'step.started',
  stepKey: 'tenant',
  data: { attempt: 1 },
  status: 'running',
  stepsDone: 1,
  stepsTotal: 3,
  ...over,
});
