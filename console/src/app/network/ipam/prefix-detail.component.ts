import { ChangeDetectionStrategy, Component, computed, effect, inject, input, output, signal, untracked } from '@angular/core';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzDrawerModule } from 'ng-zorro-antd/drawer';
import { NzProgressModule } from 'ng-zorro-antd/progress';
import { NzTableModule } from 'ng-zorro-antd/table';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { Actions } from '../../core/actions';
import { ApiError, toApiError } from '../../core/api-error';
import { ErrorAlertComponent } from '../../core/error-alert.component';
import { PagedList } from '../../core/paged-list';
import { TranslatePipe } from '../../core/i18n/t.pipe';
import { SessionStore } from '../../core/session';
import { IpamApiService } from './ipam-api.service';
import { sizeText, utilisationStatus } from './ipam-format';
import type { PrefixAddress, PrefixDetail } from './ipam-types';

/** One prefix in a drawer: utilisation, the first free blocks, its addresses a page at a time, "allocate next address". */
@Component({
  selector: 'app-ipam-prefix-detail',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [NzButtonModule, NzDrawerModule, NzProgressModule, NzTableModule, NzTagModule, ErrorAlertComponent, TranslatePipe],
  template: `
    <nz-drawer [nzVisible]="prefixId() !== null" [nzWidth]="560" [nzTitle]="detail()?.cidr ?? ''" (nzOnClose)="closed.emit()">
      <ng-container *nzDrawerContent>
        <app-error-alert [error]="error()" />
        @if (detail(); as d) {
          <nz-progress [nzPercent]="d.utilisation.percent" [nzStatus]="status(d.utilisation.percent)" />
          <p class="used">{{ 'ipam.used' | t: { used: size(d.utilisation.used), allocatable: size(d.utilisation.allocatable), size: size(d.utilisation.size) } }}</p>
          <h4>{{ 'ipam.detail.free' | t }}</h4>
          <p class="free">
            @for (b of d.freeBlocks; track b) {
              <nz-tag>{{ b }}</nz-tag>
            }
          </p>
          <h4>{{ 'ipam.detail.addresses' | t }}</h4>
          @if (canAllocate()) {
            <button nz-button nzType="primary" class="allocate-address" [nzLoading]="actions.busy('allocate')" (click)="allocateAddress()">{{ 'ipam.detail.allocateAddress' | t }}</button>
          }
          <nz-table #at [nzData]="addresses.items()" nzSize="small" [nzFrontPagination]="false" [nzShowPagination]="false" [nzLoading]="addresses.loading()" [nzNoResult]="none">
            <thead><tr><th>{{ 'ipam.col.cidr' | t }}</th><th>{{ 'ipam.col.status' | t }}</th><th>{{ 'ipam.col.unit' | t }}</th><th>{{ 'ipam.detail.dns' | t }}</th></tr></thead>
            <tbody>
              @for (a of at.data; track a.id) {
                <tr class="address-row"><td><code>{{ a.address }}</code></td><td>{{ 'ipam.status.' + a.status | t }}</td><td>{{ a.unitCode ?? '' }}</td><td>{{ a.dnsName ?? '' }}</td></tr>
              }
            </tbody>
          </nz-table>
          <app-error-alert [error]="addresses.error()" />
          @if (addresses.hasMore()) {
            <button nz-button nzType="link" class="more-addresses" [nzLoading]="addresses.loading()" (click)="addresses.more()">{{ 'common.loadMore' | t }}</button>
          }
          <ng-template #none>{{ 'ipam.detail.noAddresses' | t }}</ng-template>
        }
      </ng-container>
    </nz-drawer>
  `,
})
export class PrefixDetailComponent {
  private readonly api = inject(IpamApiService);
  private readonly session = inject(SessionStore);

  readonly prefixId = input<string | null>(null);
  readonly closed = output<void>();
  /** Emitted after an address was allocated, so the tree can refresh its bar. */
  readonly changed = output<string>();

  protected readonly detail = signal<PrefixDetail | null>(null);
  /** Its addresses in address order, 50 at a time (a /16 holds 65,534). */
  protected readonly addresses = new PagedList<PrefixAddress>({
    load: (cursor) => this.api.addresses(this.prefixId() ?? '', cursor),
    key: (a) => a.id,
  });
  protected readonly error = signal<ApiError | null>(null);
  /** Allocating an address; the prefix is read again after it. */
  protected readonly actions = new Actions<'allocate'>({ error: this.error, reload: () => this.load(this.prefixId()) });
  protected readonly status = utilisationStatus;
  protected readonly size = sizeText;
  // Addresses go into assigned prefixes (containers hold prefixes); only network staff allocate.
  protected readonly canAllocate = computed(() => this.detail()?.kind === 'assigned' && this.session.hasAnyRole(['admin', 'network-engineer']));

  constructor() {
    effect(() => {
      const id = this.prefixId();
      untracked(() => void this.load(id));
    });
  }

  private async load(id: string | null): Promise<void> {
    this.detail.set(null);
    this.error.set(null);
    if (!id) return;
    try {
      const [detail] = await Promise.all([this.api.prefix(id), this.addresses.reload()]);
      this.detail.set(detail);
    } catch (err) {
      this.error.set(toApiError(err));
    }
  }

  protected async allocateAddress(): Promise<void> {
    const id = this.prefixId();
    if (!id) return;
    const allocated = await this.actions.run('allocate', () => this.api.allocateAddress(id), {
      success: (a) => ({ key: 'ipam.detail.allocated', params: { address: a.address } }),
    });
    if (allocated) this.changed.emit(id);
  }
}
