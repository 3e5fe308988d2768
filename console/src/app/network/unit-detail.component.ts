import { ChangeDetectionStrategy, Component, PendingTasks, computed, effect, inject, input, signal } from '@angular/core';
import { DatePipe } from '@angular/common';
import { RouterLink } from '@angular/router';
import { NzBreadCrumbModule } from 'ng-zorro-antd/breadcrumb';
import { NzDescriptionsModule } from 'ng-zorro-antd/descriptions';
import { NzTableModule } from 'ng-zorro-antd/table';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { ApiError, toApiError } from '../core/api-error';
import { ErrorAlertComponent } from '../core/error-alert.component';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { NetworkApiService } from './network-api.service';
import { provideNetworkIcons } from './network-icons';
import { NetworkNavComponent } from './network-nav.component';
import type { UnitDetail } from './network-types';

/** One unit: where it sits, its links on every plane, its addresses, the readiness matrix and recent checks. */
@Component({
  selector: 'app-network-unit-detail',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, RouterLink, NzBreadCrumbModule, NzDescriptionsModule, NzTableModule, NzTagModule, ErrorAlertComponent, TranslatePipe, NetworkNavComponent],
  providers: [provideNetworkIcons()],
  templateUrl: './unit-detail.component.html',
  styles: `
    section { margin-top: 24px; }
    .matrix td, .matrix th { text-align: center; }
    .muted { color: rgba(0, 0, 0, 0.45); }
  `,
})
export class UnitDetailComponent {
  /** Route parameter (withComponentInputBinding). */
  readonly code = input.required<string>();
  private readonly api = inject(NetworkApiService);
  private readonly tasks = inject(PendingTasks);

  protected readonly detail = signal<UnitDetail | null>(null);
  protected readonly error = signal<ApiError | null>(null);
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

  protected cell(planeId: string, family: string) {
    return this.detail()?.matrix.find((m) => m.planeId === planeId && m.family === family) ?? null;
  }
}
