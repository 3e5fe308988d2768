import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputModule } from 'ng-zorro-antd/input';
import type { ErrorCode } from '@ganyun/control-plane/router-types';
import { apiError, press, SERVER_TEXT, settle, typeInto, type ReasonFixture, setUpConsoleSpec } from '../../testing/test-helpers';
import { toApiError } from './api-error';
import { ErrorAlertComponent } from './error-alert.component';
import { errorText, problemText } from './error-text';
import { FieldErrorPipe } from './field-error.pipe';
import { FormSubmission } from './form-submission';
import { en } from './i18n/en';
import { I18nService, type Lang } from './i18n/i18n.service';
import { zhCN } from './i18n/zh-CN';

/**
 * Every code of the server's ERROR_CODES (control-plane/src/errors.ts). Typed by the server's ErrorCode: a code
 * added there and not here fails to compile, and each one listed here must have a text in both languages.
 */
const ERROR_CODES: Record<ErrorCode, true> = {
  'input.invalid': true,
  'input.malformed': true,
  'input.rejected': true,
  'input.tooLarge': true,
  'csv.rowsInvalid': true,
  'auth.required': true,
  'auth.loginFailed': true,
  'auth.forbidden': true,
  'auth.roleMissing': true,
  'auth.passwordChangeRequired': true,
  'auth.ownRequest': true,
  'auth.passwordWrong': true,
  'auth.passwordWeak': true,
  'auth.passwordUnchanged': true,
  'approval.notApprover': true,
  'notFound': true,
  'conflict': true,
  'conflict.exists': true,
  'conflict.reference': true,
  'conflict.overlap': true,
  'approval.alreadyDecided': true,
  'request.notPending': true,
  'request.duplicate': true,
  'quota.exceeded': true,
  'policy.denied': true,
  'placement.noCloud': true,
  'migration.dependencyCycle': true,
  'migration.targetLacksArch': true,
  'migration.windowInPast': true,
  'migration.capacityEmpty': true,
  'migration.alreadyMigrating': true,
  'rateLimited': true,
  'notSupported': true,
  'timeout': true,
  'internal': true,
  'unavailable': true,
};
type Code = ErrorCode;
const CODES = Object.keys(ERROR_CODES) as Code[];

/** What the server sends with each code (errors.ts, error-mapping.ts), English free text included where it may. */
const PARAMS: Partial<Record<Code, Record<string, string | number>>> = {
  'input.invalid': { count: 2 },
  'csv.rowsInvalid': { count: 3, rows: '2, 5, 9' },
  'auth.roleMissing': { roles: 'admin, cloud-operator' },
  'auth.passwordWeak': { minLength: 12 },
  'approval.notApprover': { step: '部门审批' },
  'approval.alreadyDecided': { step: '部门审批' },
  'request.notPending': { status: 'approved' },
  'migration.dependencyCycle': { systems: '电子税务局 → 金税三期 → 电子税务局' },
  'migration.targetLacksArch': { cloud: '鲲鹏云', arch: 'loongarch64', offered: 'arm64' },
  'migration.windowInPast': { window: 'W1', weekStart: '2025-01-06' },
  'migration.capacityEmpty': { capacity: '鲲鹏云 arm64' },
  'migration.alreadyMigrating': { systems: '金税三期' },
  'request.duplicate': { requestId: '7f1c2a9e-0b7d-4a51-9e43-5a7d2c1b0f3e', status: 'pending' },
  'quota.exceeded': { level: 'department', ref: 'd-1', resourceClass: 'vcpu', cloudId: 'jx-province', left: 4, requested: 16 },
  'policy.denied': { reasons: 'the system needs DR level 4 and the cloud offers level 3' },
  'placement.noCloud': { reasons: 'no cloud is certified for level 3 and offers kunpeng' },
};

/** Three Latin words in a row: an English sentence (identifiers such as jx-province or vCPU are not). */
const LATIN_SENTENCE = /[A-Za-z]{2,}[\s,;:.]+[A-Za-z]{2,}[\s,;:.]+[A-Za-z]{2,}/;
/** Raw JSON, an unfilled placeholder or a stack. */
const RAW = /[{}[\]"]|\bat .+:\d+|Error:/;

describe('error texts (issue 17.4)', () => {
  let i18n: I18nService;

  beforeEach(() => {
    setUpConsoleSpec();
    i18n = TestBed.inject(I18nService);
  });

  const render = (lang: Lang, code: string, params?: Record<string, string | number>, trpc = 'BAD_REQUEST') => {
    i18n.setLang(lang);
    return errorText(i18n, toApiError(apiError(trpc, { code, ...(params ? { params } : {}) })));
  };

  it('has a Chinese and an English text for every code the server can send', () => {
    const missing = CODES.flatMap((code) => [
      ...(zhCN[`err.${code}` as keyof typeof zhCN]?.trim() ? [] : [`zh-CN ${code}`]),
      ...(en[`err.${code}` as keyof typeof en]?.trim() ? [] : [`en ${code}`]),
    ]);
    expect(missing).toEqual([]);
  });

  for (const lang of ['zh-CN', 'en'] as const) {
    it(`renders every code in ${lang}, with and without its parameters, never raw or the server's sentence`, () => {
      for (const code of CODES) {
        for (const params of [PARAMS[code], undefined]) {
          const text = render(lang, code, params);
          const what = `${lang} ${code} ${params ? 'with' : 'without'} params: ${text}`;
          expect(text.trim()).withContext(what).not.toBe('');
          expect(text).withContext(what).not.toMatch(RAW);
          expect(text).withContext(what).not.toContain(SERVER_TEXT);
          if (lang === 'zh-CN') {
            expect(text).withContext(what).not.toMatch(LATIN_SENTENCE);
            expect(text).withContext(what).toMatch(/[\u4e00-\u9fff]/);
          }
        }
      }
    });
  }

  it('shows every code through the alert component, in Chinese, without the server sentence', async () => {
    const fixture = TestBed.createComponent(ErrorAlertComponent);
    for (const code of CODES) {
      fixture.componentRef.setInput('error', toApiError(apiError('BAD_REQUEST', { code, params: PARAMS[code] ?? {} })));
      await fixture.whenStable();
      const shown = (fixture.nativeElement as HTMLElement).textContent ?? '';
      expect(shown.trim()).withContext(code).not.toBe('');
      expect(shown).withContext(code).not.toContain(SERVER_TEXT);
      expect(shown).withContext(code).not.toMatch(LATIN_SENTENCE);
    }
  });

  it('fills parameters with the console’s own names for roles, statuses, levels and resource classes', () => {
    expect(render('zh-CN', 'auth.roleMissing', PARAMS['auth.roleMissing'])).toBe('此操作需要以下角色之一：系统管理员、云运维');
    expect(render('en', 'auth.roleMissing', PARAMS['auth.roleMissing'])).toBe('This needs one of these roles: Administrator, Cloud operator');
    expect(render('zh-CN', 'request.notPending', { status: 'approved' })).toBe('申请当前状态为“已批准”，只有审批中的申请才能审批');
    expect(render('zh-CN', 'quota.exceeded', PARAMS['quota.exceeded'], 'UNPROCESSABLE_CONTENT')).toBe(
      '超出部门配额：云 jx-province 上的vCPU仅剩 4，本次申请 16',
    );
    expect(render('en', 'quota.exceeded', PARAMS['quota.exceeded'], 'UNPROCESSABLE_CONTENT')).toBe(
      'Quota exceeded at department level: vCPU on cloud jx-province has 4 left, 16 requested',
    );
    // Free English text from the rules reaches only the English screen.
    expect(render('en', 'policy.denied', PARAMS['policy.denied'])).toContain('DR level 4');
    expect(render('zh-CN', 'policy.denied', PARAMS['policy.denied'])).toBe('该申请不符合准入策略，请查看策略检查结果');
  });

  it('counts rows and characters with the right plural in English and naturally in Chinese', () => {
    expect(render('en', 'csv.rowsInvalid', { count: 1, rows: '7' })).toBe('1 row is wrong (row 7); nothing was imported');
    expect(render('en', 'csv.rowsInvalid', { count: 3, rows: '2, 5, 9' })).toBe('3 rows are wrong (rows 2, 5, 9); nothing was imported');
    expect(render('en', 'csv.rowsInvalid', { count: 1767 })).toBe('1,767 rows are wrong; nothing was imported');
    expect(render('zh-CN', 'csv.rowsInvalid', { count: 1, rows: '7' })).toBe('文件中有 1 行有误（第 7 行），未导入任何数据');
    expect(render('zh-CN', 'csv.rowsInvalid', { count: 3, rows: '2, 5, 9' })).toBe('文件中有 3 行有误（第 2, 5, 9 行），未导入任何数据');
    expect(render('en', 'input.invalid', { count: 1 })).toBe('1 field needs correcting: see the hints');
    expect(render('en', 'input.invalid', { count: 2 })).toBe('2 fields need correcting: see the hints');

    const tooShort = (minimum: number) => ({ code: 'input.tooSmall', params: { origin: 'string', minimum }, issue: true });
    i18n.setLang('en');
    expect(problemText(i18n, tooShort(1))).toBe('At least 1 character');
    expect(problemText(i18n, tooShort(12))).toBe('At least 12 characters');
    expect(i18n.t('ipam.import.refused', { n: 1 })).toBe('1 problem; nothing was imported');
    expect(i18n.t('ipam.import.refused', { n: 4 })).toBe('4 problems; nothing was imported');
    i18n.setLang('zh-CN');
    expect(problemText(i18n, tooShort(12))).toBe('至少 12 个字符');
  });

  it('falls back to a text per HTTP status for a code this console does not know, never the server’s sentence', () => {
    expect(render('zh-CN', 'backup.tooSoon', undefined, 'CONFLICT')).toBe('与当前数据冲突，请刷新后重试');
    expect(render('en', 'backup.tooSoon', undefined, 'CONFLICT')).toBe('This conflicts with the current data; refresh and try again');
    i18n.setLang('zh-CN');
    // No reason at all (an older server, a proxy's answer) and no answer at all.
    expect(errorText(i18n, toApiError(Object.assign(new Error('Bad Gateway'), { data: { code: 'INTERNAL_SERVER_ERROR', httpStatus: 502 } })))).toBe(
      '服务器暂时不可用，请稍后再试',
    );
    expect(errorText(i18n, toApiError(new TypeError('Failed to fetch')))).toBe('无法连接服务器，请检查网络后重试');
    expect(errorText(i18n, toApiError(Object.assign(new Error('x'), { data: { code: 'TEAPOT', httpStatus: 418 } })))).toBe('操作失败（错误代码 TEAPOT）');
  });

  it('keeps a malformed reason out: no JSON, no stack', () => {
    const odd = Object.assign(new Error('[{"code":"too_small","path":["name"]}]'), {
      data: { code: 'BAD_REQUEST', httpStatus: 400, reason: { code: 42, params: { x: { nested: true } } }, stack: 'Error: at x.ts:1' },
    });
    i18n.setLang('zh-CN');
    expect(errorText(i18n, toApiError(odd))).toBe('输入有误，请检查后重试');
  });
});

@Component({
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, NzFormModule, NzInputModule, ErrorAlertComponent, FieldErrorPipe],
  template: `
    <app-error-alert [error]="submission.error()" [extra]="submission.extraErrors()" />
    <form nz-form [formGroup]="form">
      <nz-form-item>
        <nz-form-control [nzErrorTip]="tip" data-field="name"><input nz-input formControlName="name" /></nz-form-control>
      </nz-form-item>
      <div formGroupName="limits">
        <nz-form-item>
          <nz-form-control [nzErrorTip]="tip" data-field="limits.vcpu"><input nz-input formControlName="vcpu" /></nz-form-control>
        </nz-form-item>
      </div>
    </form>
    <button class="send" (click)="send()">send</button>
    <ng-template #tip let-control>{{ control | fieldError }}</ng-template>
  `,
})
class FormHostComponent {
  readonly form = inject(NonNullableFormBuilder).group({
    name: ['', Validators.required],
    limits: inject(NonNullableFormBuilder).group({ vcpu: ['8'] }),
  });
  readonly submission = new FormSubmission(this.form);
  refusal: unknown = null;
  async send(): Promise<void> {
    await this.submission.run(() => Promise.reject(this.refusal));
  }
}

describe('field errors from the server (issue 17.4)', () => {
  beforeEach(() => {
    setUpConsoleSpec({ imports: [FormHostComponent] });
  });

  async function refuse(reason: ReasonFixture) {
    const fixture = TestBed.createComponent(FormHostComponent);
    fixture.componentInstance.refusal = apiError('BAD_REQUEST', reason);
    await fixture.whenStable();
    const el = fixture.nativeElement as HTMLElement;
    typeInto(el.querySelector('[data-field=name] input'), '东湖区');
    await press(fixture, el.querySelector('button.send'));
    const tip = (field: string) => (el.querySelector(`[data-field="${field}"] .ant-form-item-explain-error`)?.textContent ?? '').trim();
    return { fixture, el, tip };
  }

  it('puts each schema issue beside its field, nested paths too, and follows the language switch', async () => {
    const { fixture, el, tip } = await refuse({
      code: 'input.invalid',
      params: { count: 2 },
      issues: [
        { path: ['name'], code: 'input.tooSmall', params: { origin: 'string', minimum: 4 } },
        { path: ['limits', 'vcpu'], code: 'input.tooBig', params: { origin: 'number', maximum: 4 } },
      ],
    });
    expect(tip('name')).toBe('至少 4 个字符');
    expect(tip('limits.vcpu')).toBe('不能大于 4');
    expect(el.querySelector('app-error-alert')?.textContent).toContain('输入有 2 处不符合要求');
    expect(el.textContent).not.toContain(SERVER_TEXT);

    TestBed.inject(I18nService).setLang('en');
    await settle(fixture);
    expect(tip('name')).toBe('At least 4 characters');
    expect(tip('limits.vcpu')).toBe('Must be at most 4');
    expect(el.querySelector('app-error-alert')?.textContent).toContain('2 fields need correcting');
  });

  it('puts a domain refusal that names a field beside that field; a path with no field goes to the alert', async () => {
    const { el, tip } = await refuse({ code: 'conflict.exists', path: ['name'] });
    expect(tip('name')).toBe('相同的记录已存在');

    const other = await refuse({ code: 'input.invalid', params: { count: 1 }, issues: [{ path: ['items', '0', 'gpu'], code: 'input.rule' }] });
    expect(other.el.querySelector('app-error-alert')?.textContent).toContain('items.0.gpu：不符合填写规则');
    expect(el.textContent).not.toContain(SERVER_TEXT);
  });

  it('shows the server’s own field text only on the English screen and only for a generic code', () => {
    const refusal = Object.assign(new Error(SERVER_TEXT), {
      data: {
        code: 'BAD_REQUEST',
        httpStatus: 400,
        reason: { code: 'input.invalid', params: { count: 1 }, issues: [{ path: ['cidr'], code: 'input.rule' }] },
        fieldErrors: { cidr: ['10.0.0.1/24 has host bits set'] },
      },
    });
    const [field] = toApiError(refusal).fields;
    const i18n = TestBed.inject(I18nService);
    expect(problemText(i18n, field!.problem)).toBe('不符合填写规则');
    i18n.setLang('en');
    expect(problemText(i18n, field!.problem)).toBe('10.0.0.1/24 has host bits set');
  });
});
