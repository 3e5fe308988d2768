/**
 * Shared spec setup: a fake ApiService (the console's only way to the server), the app-wide
 * providers a component needs, sample records and small DOM helpers.
 */
import { EnvironmentProviders, Provider, provideZonelessChangeDetection } from '@angular/core';
import { ComponentFixture } from '@angular/core/testing';
import { Routes, provideRouter } from '@angular/router';
import { provideNzNoAnimation } from 'ng-zorro-antd/core/animation';
import { provideNzI18n, zh_CN } from 'ng-zorro-antd/i18n';
import { provideNzIcons } from 'ng-zorro-antd/icon';
import { ApiService } from '../app/core/api';
import type { AuditRecord, Department, Me, User } from '../app/core/api-types';
import { APP_ICONS } from '../app/icons';

export type FakeApi = jasmine.SpyObj<ApiService>;

const API_METHODS = [
  'login',
  'me',
  'logout',
  'changePassword',
  'listUsers',
  'createUser',
  'updateUser',
  'resetPassword',
  'unlockUser',
  'listDepartments',
  'createDepartment',
  'updateDepartment',
  'deleteDepartment',
  'listDivisions',
  'listAudit',
  'verifyAudit',
  'onAuditAppend',
  'systemInfo',
] as const satisfies readonly (keyof ApiService)[];

/** Every method is a spy; lists default to empty so a spec only sets up what it checks. */
export function createFakeApi(): FakeApi {
  const api = jasmine.createSpyObj<ApiService>('ApiService', [...API_METHODS]);
  api.listUsers.and.resolveTo({ items: [] });
  api.listDepartments.and.resolveTo({ items: [] });
  api.listDivisions.and.resolveTo({ items: [] });
  api.listAudit.and.resolveTo({ items: [], nextCursor: null });
  api.systemInfo.and.resolveTo({ version: '0.1.0', store: 'pglite' });
  api.logout.and.resolveTo({ ok: true });
  api.onAuditAppend.and.returnValue({ unsubscribe: jasmine.createSpy('unsubscribe') });
  return api;
}

export function testProviders(api: FakeApi, routes: Routes = []): (Provider | EnvironmentProviders)[] {
  return [
    provideZonelessChangeDetection(),
    provideRouter(routes),
    provideNzI18n(zh_CN),
    provideNzIcons(APP_ICONS),
    provideNzNoAnimation(),
    { provide: ApiService, useValue: api },
  ];
}

/** Language and session live in browser storage; each spec starts from none. */
export function clearStorage(): void {
  localStorage.clear();
  sessionStorage.clear();
}

/** An error shaped like a TRPCClientError as the server sends it. */
export function apiError(code: string, message: string, fieldErrors?: Record<string, string[]>): Error {
  return Object.assign(new Error(message), { data: { code, fieldErrors } });
}

/** Lets promises started by clicks (outside PendingTasks) finish, then renders. */
export async function settle(fixture: ComponentFixture<unknown>): Promise<void> {
  for (let i = 0; i < 4; i++) {
    await new Promise((resolve) => setTimeout(resolve));
    await fixture.whenStable();
  }
}

export function typeInto(input: Element | null, value: string): void {
  if (!(input instanceof HTMLInputElement)) throw new Error('no input to type into');
  input.value = value;
  input.dispatchEvent(new Event('input'));
}

export function click(el: Element | null): void {
  if (!(el instanceof HTMLElement)) throw new Error('nothing to click');
  el.click();
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
