import { ChangeDetectionStrategy, Component, OnInit, PendingTasks, inject, input, signal } from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule, Validators } from '@angular/forms';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzInputModule } from 'ng-zorro-antd/input';
import { NzTableModule } from 'ng-zorro-antd/table';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { API } from '../core/api-client';
import { Actions } from '../core/actions';
import { Loaded } from '../core/loaded';
import { ErrorAlertComponent } from '../core/error-alert.component';
import { I18nService } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';
import type { ApiOutputs } from '../core/api-types';

type Blackouts = ApiOutputs['migrations']['calendar']['blackouts'];
type Blackout = Blackouts['items'][number];

/**
 * Blackouts (停机封网) the scheduler keeps migrations out of: the list (departments see the ones that apply to
 * them), the statutory holidays shipped per year with their import, and for operators a form to add one
 * (for every department) and removal.
 */
@Component({
  selector: 'app-mig-calendar',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, NzButtonModule, NzInputModule, NzTableModule, NzTagModule, ErrorAlertComponent, TranslatePipe],
  template: `
    <app-error-alert [error]="error()" />
    <h3>{{ 'mig.cal.statutory' | t }}</h3>
    <ul class="notices">
      @for (n of data()?.notices ?? []; track n.year) {
        <li [attr.data-year]="n.year">
          <strong>{{ n.year }}</strong>:
          @if (n.title) { {{ n.title }} <small>({{ n.issued }})</small> } @else { <span class="unpublished">{{ 'mig.cal.unpublished' | t }}</span> }
          @if (imported(n.year)) {
            <nz-tag nzColor="green" class="imported">{{ 'mig.cal.imported' | t }}</nz-tag>
          } @else if (canOperate() && n.title) {
            <button nz-button nzSize="small" class="import" [nzLoading]="actions.busy('import:' + n.year)" (click)="importYear(n.year)">{{ 'mig.cal.import' | t }}</button>
          }
        </li>
      }
    </ul>
    @if (notice(); as m) { <p class="notice" role="status">{{ m }}</p> }
    @if (canOperate()) {
      <form class="blackout-form" [formGroup]="form" (ngSubmit)="add()">
        <label for="mig-blackout-from">{{ 'mig.cal.from' | t }}</label>
        <input nz-input type="date" id="mig-blackout-from" class="from" formControlName="from" />
        <label for="mig-blackout-to">{{ 'mig.cal.to' | t }}</label>
        <input nz-input type="date" id="mig-blackout-to" class="to" formControlName="to" />
        <label for="mig-blackout-reason">{{ 'mig.cal.reason' | t }}</label>
        <input nz-input id="mig-blackout-reason" class="reason" formControlName="reason" maxlength="200" />
        <button nz-button nzType="primary" type="submit" class="add" [disabled]="form.invalid" [nzLoading]="actions.busy('add')">{{ 'mig.cal.add' | t }}</button>
      </form>
    }
    <h3>{{ 'mig.cal.blackouts' | t }}</h3>
    <nz-table #table class="blackouts" [nzData]="data()?.items ?? []" nzSize="small" [nzPageSize]="50" [nzNoResult]="'mig.empty' | t">
      <thead><tr><th>{{ 'mig.cal.from' | t }}</th><th>{{ 'mig.cal.to' | t }}</th><th>{{ 'mig.cal.reason' | t }}</th><th>{{ 'mig.cal.applies' | t }}</th><th>{{ 'mig.cal.source' | t }}</th>@if (canOperate()) { <th><span class="sr-only">{{ 'mig.cal.remove' | t }}</span></th> }</tr></thead>
      <tbody>
        @for (b of table.data; track b.id) {
          <tr [attr.data-blackout]="b.id">
            <td>{{ b.from }}</td><td>{{ b.to }}</td><td class="reason">{{ b.reason }}</td>
            <td class="applies">{{ b.departmentIds ? ('mig.cal.departments' | t: { n: b.departmentIds.length }) : ('mig.cal.everyone' | t) }}</td>
            <td><nz-tag>{{ 'mig.cal.source.' + b.source | t }}</nz-tag></td>
            @if (canOperate()) {
              <td><button nz-button nzSize="small" nzDanger class="remove" [nzLoading]="actions.busy(b.id)" (click)="remove(b)">{{ 'mig.cal.remove' | t }}</button></td>
            }
          </tr>
        }
      </tbody>
    </nz-table>
  `,
  styles: `
    .notices { padding-left: 16px; }
    .blackout-form { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin: 12px 0; }
    .blackout-form input { width: auto; }
    .blackout-form .reason { min-width: 240px; }
  `,
})
export class CalendarComponent implements OnInit {
  private readonly api = inject(API);
  private readonly tasks = inject(PendingTasks);
  private readonly i18n = inject(I18nService);

  readonly canOperate = input(false);

  private readonly blackouts = new Loaded(() => this.api.migrations.calendar.blackouts.query({}), null as Blackouts | null);
  protected readonly data = this.blackouts.value;
  protected readonly error = this.blackouts.error;
  protected readonly notice = signal<string | null>(null);
  /** Import, add and remove: each clears the notice, and the list is read again after it. */
  protected readonly actions = new Actions({ error: this.error, reload: () => this.blackouts.load(), clear: () => this.notice.set(null) });
  protected readonly form = new FormGroup({
    from: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
    to: new FormControl('', { nonNullable: true, validators: [Validators.required] }),
    reason: new FormControl('', { nonNullable: true, validators: [Validators.required, Validators.minLength(2), Validators.maxLength(200)] }),
  });

  ngOnInit(): void {
    void this.tasks.run(() => this.blackouts.load());
  }

  protected imported(year: number): boolean {
    return this.data()?.importedYears.includes(year) ?? false;
  }

  protected async importYear(year: number): Promise<void> {
    await this.actions.run(`import:${year}`, async () => {
      const out = await this.api.migrations.calendar.importStatutory.mutate({ year });
      this.notice.set(this.i18n.t('mig.cal.importedCount', { year: out.year, n: out.added }));
    });
  }

  protected async add(): Promise<void> {
    if (this.form.invalid) return;
    const { from, to, reason } = this.form.getRawValue();
    await this.actions.run('add', async () => {
      await this.api.migrations.calendar.addBlackout.mutate({ from, to, reason: reason.trim(), departmentIds: null });
      this.form.reset();
    });
  }

  protected async remove(b: Blackout): Promise<void> {
    await this.actions.run(b.id, () => this.api.migrations.calendar.removeBlackout.mutate({ id: b.id }));
  }
}
