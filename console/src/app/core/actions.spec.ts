import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { TestBed, type ComponentFixture } from '@angular/core/testing';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { apiError, press, SERVER_TEXT, settle, texts, setUpConsoleSpec } from '../../testing/test-helpers';
import { Actions } from './actions';
import { toApiError, type ApiError } from './api-error';
import { ErrorAlertComponent } from './error-alert.component';
import { errorText } from './error-text';
import { I18nService } from './i18n/i18n.service';

/** Calls the spec releases by hand. */
function server<T>() {
  const pending: { resolve: (v: T) => void; reject: (e: unknown) => void }[] = [];
  return {
    pending,
    call: () => new Promise<T>((resolve, reject) => pending.push({ resolve, reject })),
  };
}

/** A page with one action button, its error alert and a re-read, as the console's pages use the helper. */
@Component({
  selector: 'app-actions-host',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ErrorAlertComponent, NzButtonModule],
  template: `
    <app-error-alert [error]="error()" />
    <button nz-button class="go" [nzLoading]="actions.busy('go')" (click)="go()">go</button>
  `,
})
class HostComponent {
  readonly s = server<{ address: string }>();
  readonly reads = jasmine.createSpy('reload').and.resolveTo(undefined);
  readonly cleared = jasmine.createSpy('clear');
  readonly error = signal<ApiError | null>(null);
  readonly actions = new Actions<'go' | 'other'>({ error: this.error, reload: this.reads, clear: this.cleared });
  readonly i18n = inject(I18nService);
  readonly done: Promise<boolean>[] = [];

  go(): void {
    this.done.push(this.actions.run('go', this.s.call, { success: (a) => ({ key: 'ipam.detail.allocated', params: { address: a.address } }) }));
  }
}

describe('Actions', () => {
  let fixture: ComponentFixture<HostComponent>;
  let host: HostComponent;
  const button = () => fixture.nativeElement.querySelector('button.go') as HTMLButtonElement;

  beforeEach(async () => {
    setUpConsoleSpec({ imports: [HostComponent] });
    fixture = TestBed.createComponent(HostComponent);
    host = fixture.componentInstance;
    await settle(fixture);
  });

  afterEach(() => document.querySelectorAll('.ant-message').forEach((m) => m.remove()));

  it('is busy while the call runs, says the success, re-reads the page, then is not busy', async () => {
    await press(fixture, button());
    expect(host.actions.busy('go')).toBeTrue();
    expect(host.actions.busy()).toBeTrue();
    expect(host.actions.busy('other')).toBeFalse();
    expect(button().classList).toContain('ant-btn-loading');
    expect(host.cleared).toHaveBeenCalledTimes(1);
    expect(host.reads).not.toHaveBeenCalled();

    host.s.pending[0]!.resolve({ address: '10.1.2.3' });
    expect(await host.done[0]).toBeTrue();
    await settle(fixture);
    expect(host.reads).toHaveBeenCalledTimes(1);
    expect(host.actions.busy('go')).toBeFalse();
    expect(host.actions.busy()).toBeFalse();
    expect(button().classList).not.toContain('ant-btn-loading');
    expect(texts('.ant-message-notice').join(' ')).toContain(host.i18n.t('ipam.detail.allocated', { address: '10.1.2.3' }));
    expect(host.error()).toBeNull();
  });

  it('shows a refusal translated in the error alert, not the server sentence, and does not re-read', async () => {
    await press(fixture, button());
    const refusal = apiError('FORBIDDEN', { code: 'auth.forbidden' });
    host.s.pending[0]!.reject(refusal);
    expect(await host.done[0]).toBeFalse();
    await settle(fixture);

    expect(host.actions.busy('go')).toBeFalse();
    expect(host.actions.busy()).toBeFalse();
    expect(host.reads).not.toHaveBeenCalled();
    expect(texts('.ant-message-notice')).toEqual([]);
    const shown = texts('.error-message', fixture.nativeElement).join(' ');
    expect(shown).toBe(errorText(host.i18n, toApiError(refusal)));
    expect(shown).not.toBe('');
    expect(fixture.nativeElement.textContent).not.toContain(SERVER_TEXT);
  });

  it('clears the last error as the next action starts', async () => {
    host.error.set(toApiError(apiError('CONFLICT')));
    await press(fixture, button());
    expect(host.error()).toBeNull();
    expect(fixture.nativeElement.querySelector('.error-alert')).toBeNull();
    host.s.pending[0]!.resolve({ address: '10.0.0.1' });
    await host.done[0];
  });

  it('ignores the same action again while it runs, and runs another key beside it', async () => {
    const first = host.actions.run('go', host.s.call);
    const again = host.actions.run('go', host.s.call);
    expect(await again).toBeFalse();
    expect(host.s.pending.length).toBe(1);

    const other = server<void>();
    const beside = host.actions.run('other', other.call);
    expect(other.pending.length).toBe(1);
    expect(host.actions.busy('other')).toBeTrue();

    other.pending[0]!.resolve();
    expect(await beside).toBeTrue();
    expect(host.actions.busy('go')).toBeTrue();
    expect(host.actions.busy()).toBeTrue();

    host.s.pending[0]!.resolve({ address: '10.0.0.2' });
    expect(await first).toBeTrue();
    expect(host.actions.busy()).toBeFalse();
  });

  it('a failed re-read counts as a failure of the action', async () => {
    host.reads.and.rejectWith(apiError('INTERNAL_SERVER_ERROR'));
    const done = host.actions.run('other', () => Promise.resolve());
    expect(await done).toBeFalse();
    expect(host.error()?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(host.actions.busy()).toBeFalse();
  });

  it('keeps its own error signal when the page gives none, and says a success given as a key', async () => {
    const actions = TestBed.runInInjectionContext(() => new Actions());
    expect(await actions.run('x', () => Promise.reject(apiError('NOT_FOUND')))).toBeFalse();
    expect(actions.error()?.code).toBe('NOT_FOUND');
    expect(await actions.run('x', () => Promise.resolve(1), { success: 'common.saved' })).toBeTrue();
    expect(actions.error()).toBeNull();
    await settle(fixture);
    expect(texts('.ant-message-notice').join(' ')).toContain(host.i18n.t('common.saved'));
  });
});
