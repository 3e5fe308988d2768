import { ChangeDetectionStrategy, Component, PendingTasks, computed, effect, inject, input, signal } from '@angular/core';
import { DatePipe } from '@angular/common';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzBreadCrumbModule } from 'ng-zorro-antd/breadcrumb';
import { NzDescriptionsModule } from 'ng-zorro-antd/descriptions';
import { NzTableModule } from 'ng-zorro-antd/table';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { Actions } from '../core/actions';
import { ApiError, toApiError } from '../core/api-error';
import { ErrorAlertComponent } from '../core/error-alert.component';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { SessionStore } from '../core/session';
import { NetworkApiService } from './network-api.service';
import { provideNetworkIcons } from './network-icons';
import { NetworkNavComponent } from './network-nav.component';
import type { UnitDetail } from './network-types';

/** One unit: where it sits, its links on every plane, its addresses, the readiness matrix and recent checks. */
@Component({
  selector: 'app-network-unit-detail',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, ReactiveFormsModule, RouterLink, NzSelectModule, NzBreadCrumbModule, NzDescriptionsModule, NzTableModule, NzTagModule, ErrorAlertComponent, TranslatePipe, NetworkNavComponent],
  providers: [provideNetworkIcons()],
  templateUrl: './unit-detail.component.html',
  styles: `
    section { margin-top: 24px; }
    .matrix td, .matrix th { text-align: center; }
    .muted { color: var(--gy-muted); }
  `,
})
export class UnitDetailComponent {
  /** Route parameter (withComponentInputBinding). */
  readonly code = input.required<string>();
  private readonly api = inject(NetworkApiService);
  private readonly tasks = inject(PendingTasks);

  protected readonly detail = signal<UnitDetail | null>(null);
  protected readonly error = signal<ApiError | null>(null);
  protected readonly linkStates = ['up', 'down', 'planned'] as const;
  /** A link's state, by link; the unit is read again after it, and every link's state waits while one is saved. */
  protected readonly actions = new Actions({ error: this.error, reload: () => this.load(this.code()) });
  /** One state control per link, built from each answer of the server; a choice is saved at once. */
  protected readonly linkStateCtls = computed(() => Object.fromEntries((this.detail()?.links ?? []).map((l) => {
    const ctl = new FormControl(l.state, { nonNullable: true });
    ctl.valueChanges.subscribe((state) => void this.setLinkState(l.id, state));
    return [l.id, ctl];
  })));
  private readonly session = inject(SessionStore);
  /** Network engineers (and admins) change link states here; the server checks the same roles. */
  protected readonly canEdit = computed(() => this.session.hasAnyRole(['admin', 'network-engineer']));
  protected readonly planes = computed(() => [...new Set(this.detail()?.matrix.map((m) => m.planeId) ?? [])]);

  constructor() {
    effect(() => {
      const code = this.code();
      void this.tasks.run(() => this.load(code));
    });
  }

  private async load(code: string): Promise<void> {
    this.error.set(null);
    try {
      this.detail.set(await this.api.unit(code));
    } catch (err) {
      this.detail.set(null);
      this.error.set(toApiError(err));
    }
  }

  /** A link goes down or comes up: saved (audited) and the unit reloaded, so its readiness matrix follows. */
  async setLinkState(id: string, state: 'up' | 'down' | 'planned'): Promise<void> {
    await this.actions.run(id, () => this.api.setLinkState(id, state));
  }

  protected cell(planeId: string, family: string) {
    return this.detail()?.matrix.find((m) => m.planeId === planeId && m.family === family) ?? null;
  }
}
