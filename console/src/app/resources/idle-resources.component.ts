import { ChangeDetectionStrategy, Component, OnInit, PendingTasks, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzFormModule } from 'ng-zorro-antd/form';
import { NzInputNumberModule } from 'ng-zorro-antd/input-number';
import { NzTableModule } from 'ng-zorro-antd/table';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { API } from '../core/api-client';
import { formError } from '../core/api-error';
import type { ApiOutputs } from '../core/api-types';
import { ErrorAlertComponent } from '../core/error-alert.component';
import { FieldComponent } from '../core/field.component';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { PagedList } from '../core/paged-list';

type Idle = ApiOutputs['resources']['idle'];
type IdleCandidate = Idle['items'][number];

/**
 * Idle hosts and workloads for operators (`resources.idle`): those whose mean CPU (and memory) use over their
 * cloud's window is at or below the thresholds, quietest first, with what releasing them would give back; a cloud
 * that does not measure use is named rather than guessed at. Release goes through the owning system's page, as a
 * change request its department submits. The server computes the list per call and pages it by cursor: a page at a
 * time here, 'more' below the table, every page asked with the thresholds of the last search.
 */
@Component({
  selector: 'app-idle-resources',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, RouterLink, NzButtonModule, NzFormModule, NzInputNumberModule, NzTableModule, NzTagModule, ErrorAlertComponent, FieldComponent, TranslatePipe],
  template: `
    <form nz-form nzLayout="inline" class="idle-filter" [formGroup]="form" (ngSubmit)="load()">
      <app-field label="idle.maxCpu" for="idle-cpu">
        <nz-input-number nzId="idle-cpu" class="max-cpu" formControlName="maxCpuPercent" [nzMin]="0" [nzMax]="100" />
      </app-field>
      <app-field label="idle.maxMemory" for="idle-mem">
        <nz-input-number nzId="idle-mem" class="max-memory" formControlName="maxMemoryPercent" [nzMin]="0" [nzMax]="100" />
      </app-field>
      <button nz-button nzType="primary" type="submit" class="find" [nzLoading]="list.loading()">{{ 'idle.find' | t }}</button>
    </form>
    <app-error-alert [error]="list.error()" />
    @if (sources(); as sources) {
      <p class="sources">
        @for (s of sources; track s.cloudId) {
          <nz-tag [attr.data-cloud]="s.cloudId" [nzColor]="s.status === 'measured' ? 'green' : 'default'">{{ s.cloudId }}: {{ 'idle.source.' + s.status | t }}</nz-tag>
        }
      </p>
      @if (list.items().length === 0) { <p class="muted empty">{{ 'idle.none' | t }}</p> }
      @else {
        <nz-table #t class="idle" nzSize="small" [nzData]="list.items()" [nzShowPagination]="false" [nzFrontPagination]="false">
          <thead><tr>
            <th>{{ 'resources.name' | t }}</th><th>{{ 'resources.kind' | t }}</th><th>{{ 'resources.system' | t }}</th><th>{{ 'resources.cloud' | t }}</th>
            <th>{{ 'idle.cpu' | t }}</th><th>{{ 'idle.memory' | t }}</th><th>{{ 'idle.window' | t }}</th><th>{{ 'idle.gives' | t }}</th>
          </tr></thead>
          <tbody>
            @for (r of t.data; track r.resourceId) {
              <tr class="idle-row" [attr.data-id]="r.resourceId">
                <td class="name">{{ r.name }}</td>
                <td>{{ 'resources.kind.' + r.kind | t }}</td>
                <td><a class="system-link" [routerLink]="['/systems', r.systemId]">{{ r.systemName }}</a></td>
                <td>{{ r.cloudId }}</td>
                <td class="cpu">{{ r.cpuPercent }}%</td>
                <td class="memory">{{ r.memoryPercent }}%</td>
                <td>{{ r.windowHours }} h</td>
                <td class="gives">{{ r.quota.vcpu }} vCPU · {{ r.quota.memoryGiB }} GiB</td>
              </tr>
            }
          </tbody>
        </nz-table>
        @if (list.hasMore()) {
          <button nz-button nzType="link" class="more-idle" [nzLoading]="list.loading()" (click)="list.more()">{{ 'common.loadMore' | t }}</button>
        }
      }
    }
  `,
})
export class IdleResourcesComponent implements OnInit {
  private readonly api = inject(API);
  private readonly tasks = inject(PendingTasks);

  protected readonly form = inject(NonNullableFormBuilder).group({
    maxCpuPercent: [5, [Validators.required, Validators.min(0), Validators.max(100)]],
    maxMemoryPercent: [100, [Validators.required, Validators.min(0), Validators.max(100)]],
  });
  /** The thresholds of the last search: the next pages are asked with them, whatever is typed since. */
  private asked = this.form.getRawValue();
  /** The clouds asked and whether they measured use (null before the first answer). */
  protected readonly sources = signal<Idle['sources'] | null>(null);
  protected readonly list = new PagedList<IdleCandidate>({
    load: async (cursor) => {
      try {
        const page = await this.api.resources.idle.query({ ...this.asked, limit: 50, ...(cursor ? { cursor } : {}) });
        this.sources.set(page.sources);
        return page;
      } catch (err) {
        // A refused threshold goes beside its field; the list shows the summary.
        formError(this.form, err);
        throw err;
      }
    },
    key: (r) => r.resourceId,
  });

  ngOnInit(): void {
    void this.tasks.run(() => this.load());
  }

  protected async load(): Promise<void> {
    if (this.list.loading() || this.form.invalid) return;
    this.asked = this.form.getRawValue();
    this.sources.set(null);
    await this.list.reload();
  }
}
