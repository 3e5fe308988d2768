import { ChangeDetectionStrategy, Component, OnInit, PendingTasks, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzTableModule } from 'ng-zorro-antd/table';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { API } from '../core/api-client';
import { ErrorAlertComponent } from '../core/error-alert.component';
import { I18nService } from '../core/i18n/i18n.service';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { PagedList } from '../core/paged-list';
import { CandidateHistoryComponent } from './candidate-history.component';
import type { Candidate, CandidateState } from './migrations-types';

const METHOD_COLORS: Record<string, string> = { rehost: 'green', replatform: 'blue', rebuild: 'orange' };
const STATES: readonly CandidateState[] = ['candidate', 'scheduled', 'migrating', 'migrated'];
/** Candidates per page: the server pages them in system-name order. */
const PAGE_SIZE = 50;

/** Migration candidates: source, target, the method with the reasons it was derived from, effort and group. */
@Component({
  selector: 'app-mig-candidates',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, NzButtonModule, NzSelectModule, NzTableModule, NzTagModule, ErrorAlertComponent, TranslatePipe, CandidateHistoryComponent],
  template: `
    <div class="filters">
      <label for="mig-state">{{ 'mig.state' | t }}</label>
      <nz-select nzId="mig-state" class="mig-state" [formControl]="stateCtl" nzAllowClear [nzPlaceHolder]="'mig.state.all' | t">
        @for (s of states; track s) { <nz-option [nzValue]="s" [nzLabel]="'mig.state.' + s | t"></nz-option> }
      </nz-select>
    </div>
    <app-error-alert [error]="list.error()" />
    <nz-table #table class="candidates" [nzData]="list.items()" nzSize="small" [nzFrontPagination]="false" [nzShowPagination]="false" [nzLoading]="list.loading()" [nzNoResult]="'mig.empty' | t">
      <thead>
        <tr>
          <th>{{ 'mig.system' | t }}</th><th>{{ 'mig.department' | t }}</th><th>{{ 'mig.source' | t }}</th><th>{{ 'mig.target' | t }}</th>
          <th>{{ 'mig.method' | t }}</th><th>{{ 'mig.reasons' | t }}</th><th>{{ 'mig.effort' | t }}</th><th>{{ 'mig.dependsOn' | t }}</th><th>{{ 'mig.group' | t }}</th><th>{{ 'mig.state' | t }}</th><th>{{ 'mig.history' | t }}</th>
        </tr>
      </thead>
      <tbody>
        @for (c of table.data; track c.id) {
          <tr [attr.data-candidate]="c.id">
            <td class="name">{{ c.systemName }}</td>
            <td>{{ c.departmentName }}</td>
            <td class="source">{{ c.sourceName }}<br /><small>{{ c.sourceArch }} · {{ c.sourceVendor }} · {{ c.sourceImage }}</small></td>
            <td class="target">{{ c.targetCloudName }}<br /><small>{{ c.targetArch }} · {{ c.targetVendor }} · {{ c.targetImage }}</small></td>
            <td class="method"><nz-tag [nzColor]="methodColor(c.method)">{{ 'mig.method.' + c.method | t }}</nz-tag></td>
            <td class="reasons">
              <ul>@for (r of c.reasons; track $index) { <li>{{ i18n.text(r) }}</li> }</ul>
            </td>
            <td class="effort">{{ 'mig.effortValue' | t: { hours: c.effortHours, size: c.sizeClass } }}</td>
            <td class="depends-on">{{ c.dependsOn.length ? namesOf(c.dependsOn) : ('mig.noDependencies' | t) }}</td>
            <td class="group">@if (c.groupName) { {{ c.groupName }} <small class="group-size">{{ 'mig.groupSize' | t: { n: c.groupSize } }}</small> } @else { {{ 'mig.noGroup' | t }} }</td>
            <td class="state"><nz-tag>{{ 'mig.state.' + c.state | t }}</nz-tag></td>
            <td>
              <button nz-button nzSize="small" type="button" class="show-history" [attr.aria-pressed]="selected() === c.id"
                [attr.aria-label]="('mig.history.of' | t: { name: c.systemName })" (click)="toggleHistory(c.id)">{{ 'mig.history.show' | t }}</button>
            </td>
          </tr>
        }
      </tbody>
    </nz-table>
    @if (list.hasMore()) {
      <button nz-button nzType="link" class="more-candidates" type="button" [nzLoading]="list.loading()" (click)="list.more()">{{ 'common.loadMore' | t }}</button>
    }
    @if (selected(); as id) { <app-mig-candidate-history [candidateId]="id" /> }
  `,
  styles: `
    .filters { display: flex; gap: 8px; align-items: center; margin-bottom: 12px; }
    .mig-state { min-width: 180px; }
    .reasons ul { margin: 0; padding-left: 16px; }
  `,
})
export class CandidatesComponent implements OnInit {
  private readonly api = inject(API);
  private readonly tasks = inject(PendingTasks);
  protected readonly i18n = inject(I18nService);

  protected readonly states = STATES;
  protected readonly stateCtl = new FormControl<CandidateState | null>(null);
  /** The candidates with the state filter, a page at a time; the next page (more) goes on after the last shown. */
  protected readonly list = new PagedList<Candidate>({
    load: (cursor) => {
      const state = this.stateCtl.value;
      return this.api.migrations.candidates.list.query({ limit: PAGE_SIZE, ...(state ? { state } : {}), ...(cursor !== undefined ? { cursor } : {}) });
    },
    key: (c) => c.id,
  });
  /** The candidate whose history is open below the table (one at a time). */
  protected readonly selected = signal<string | null>(null);

  constructor() {
    this.stateCtl.valueChanges.pipe(takeUntilDestroyed()).subscribe(() => void this.list.reload());
  }

  ngOnInit(): void {
    void this.tasks.run(() => this.list.reload());
  }

  protected namesOf(systems: readonly { name: string }[]): string {
    return this.i18n.list(systems.map((x) => x.name));
  }

  protected toggleHistory(id: string): void {
    this.selected.update((open) => (open === id ? null : id));
  }

  protected methodColor(method: string): string {
    return METHOD_COLORS[method] ?? 'default';
  }
}
