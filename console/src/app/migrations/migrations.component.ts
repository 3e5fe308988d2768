import { ChangeDetectionStrategy, Component, OnInit, PendingTasks, computed, inject, signal } from '@angular/core';
import { NgTemplateOutlet } from '@angular/common';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { toSignal } from '@angular/core/rxjs-interop';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzTabsModule } from 'ng-zorro-antd/tabs';
import { API } from '../core/api-client';
import { ErrorAlertComponent } from '../core/error-alert.component';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { PagedList } from '../core/paged-list';
import { SessionStore } from '../core/session';
import { CalendarComponent } from './calendar.component';
import { CandidatesComponent } from './candidates.component';
import { IndicatorsComponent } from './indicators.component';
import { PLANNER_ROLES, type Plan } from './migrations-types';
import { ScheduleComponent } from './schedule.component';
import { WavesBoardComponent } from './waves-board.component';

/** Plans per page of the plan picker. */
const PLAN_PAGE_SIZE = 50;

/**
 * The migrations area (issue 12.6): the candidates with their method and its reasons, a plan's schedule
 * as a Gantt calendar by wave (solve, what-if, approve), and the plan's wave board. Departments see their
 * own systems (the server scopes every list); only operators and admins are offered the actions.
 */
@Component({
  selector: 'app-migrations',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [NgTemplateOutlet, ReactiveFormsModule, NzButtonModule, NzSelectModule, NzTabsModule, ErrorAlertComponent, TranslatePipe, CalendarComponent, CandidatesComponent, IndicatorsComponent, ScheduleComponent, WavesBoardComponent],
  template: `
    <h2>{{ 'mig.title' | t }}</h2>
    <app-error-alert [error]="error()" />
    <nz-tabs>
      <nz-tab [nzTitle]="'mig.tab.candidates' | t">
        <app-mig-candidates />
      </nz-tab>
      <nz-tab [nzTitle]="'mig.tab.schedule' | t">
        <ng-template nz-tab>
          <ng-container *ngTemplateOutlet="planPicker" />
          @if (planId(); as id) { <app-mig-schedule [planId]="id" [canOperate]="canOperate()" /> }
        </ng-template>
      </nz-tab>
      <nz-tab [nzTitle]="'mig.tab.waves' | t">
        <ng-template nz-tab>
          <ng-container *ngTemplateOutlet="planPicker" />
          @if (planId(); as id) { <app-mig-waves-board [planId]="id" [canOperate]="canOperate()" /> }
        </ng-template>
      </nz-tab>
      <nz-tab [nzTitle]="'mig.tab.calendar' | t">
        <ng-template nz-tab><app-mig-calendar [canOperate]="canOperate()" /></ng-template>
      </nz-tab>
      <nz-tab [nzTitle]="'mig.tab.indicators' | t">
        <ng-template nz-tab><app-mig-indicators [canOperate]="canOperate()" /></ng-template>
      </nz-tab>
    </nz-tabs>
    <ng-template #planPicker>
      <div class="plan-picker">
        @if (plans().length) {
          <label for="mig-plan">{{ 'mig.plan' | t }}</label>
          <nz-select nzId="mig-plan" class="mig-plan" [nzPlaceHolder]="'mig.plan.pick' | t" [formControl]="planCtl">
            @for (p of plans(); track p.id) { <nz-option [nzValue]="p.id" [nzLabel]="p.name + ' (' + p.firstWeek + ', ' + p.weeks + ')'"></nz-option> }
          </nz-select>
          @if (hasMorePlans()) {
            <button nz-button nzType="link" class="more-plans" type="button" [nzLoading]="loadingPlans()" (click)="morePlans()">{{ 'mig.plan.more' | t }}</button>
          }
        } @else if (loaded()) {
          <p class="no-plan">{{ 'mig.plan.none' | t }}</p>
        }
      </div>
    </ng-template>
  `,
  styles: `
    .plan-picker { display: flex; gap: 8px; align-items: center; margin-bottom: 12px; }
    .mig-plan { min-width: 320px; }
  `,
})
export class MigrationsComponent implements OnInit {
  private readonly api = inject(API);
  private readonly tasks = inject(PendingTasks);
  private readonly session = inject(SessionStore);

  /** Plans newest first, a page at a time (the server pages them; older ones through "more"). */
  private readonly planList = new PagedList<Plan>({
    load: (cursor) => this.api.migrations.plans.list.query({ limit: PLAN_PAGE_SIZE, ...(cursor !== undefined ? { cursor } : {}) }),
    key: (p) => p.id,
  });
  protected readonly plans = this.planList.items;
  protected readonly hasMorePlans = this.planList.hasMore;
  protected readonly loadingPlans = this.planList.loading;
  protected readonly loaded = signal(false);
  protected readonly error = this.planList.error;
  protected readonly planCtl = new FormControl<string | null>(null);
  protected readonly planId = toSignal(this.planCtl.valueChanges, { initialValue: null });
  protected readonly canOperate = computed(() => this.session.hasAnyRole(PLANNER_ROLES));

  ngOnInit(): void {
    void this.tasks.run(() => this.load());
  }

  protected async morePlans(): Promise<void> {
    await this.planList.more();
  }

  private async load(): Promise<void> {
    await this.planList.reload();
    // The server lists the newest plan first: it is the one shown.
    const newest = this.plans()[0];
    if (newest) this.planCtl.setValue(newest.id);
    this.loaded.set(true);
  }
}
