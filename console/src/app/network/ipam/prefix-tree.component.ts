import { ChangeDetectionStrategy, Component, PendingTasks, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzProgressModule } from 'ng-zorro-antd/progress';
import { NzTableModule } from 'ng-zorro-antd/table';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { NzTooltipModule } from 'ng-zorro-antd/tooltip';
import { ApiError, toApiError } from '../../core/api-error';
import { ErrorAlertComponent } from '../../core/error-alert.component';
import { TranslatePipe } from '../../core/i18n/t.pipe';
import { SessionStore } from '../../core/session';
import { AllocateDialogComponent } from './allocate-dialog.component';
import { PrefixDetailComponent } from './prefix-detail.component';
import { IpamApiService } from './ipam-api.service';
import { sizeText, utilisationStatus } from './ipam-format';
import type { AllocatedPrefix, PrefixNode } from './ipam-types';

interface Row {
  node: PrefixNode;
  depth: number;
  expanded: boolean;
}
/** Where a level has more children than its first pages: "load more" continues it from `cursor`. */
interface MoreRow {
  more: { parentId: string | null; cursor: string };
  depth: number;
}
type TreeRow = Row | MoreRow;
const isMore = (r: TreeRow): r is MoreRow => 'more' in r;
const moreRow = (parentId: string | null, cursor: string | null, depth: number): MoreRow[] => (cursor ? [{ more: { parentId, cursor }, depth }] : []);

/**
 * The prefix tree of one VRF as an indented table, loaded a level at a time (a province holds tens of
 * thousands of prefixes): utilisation bar per prefix, "allocate next" for network staff.
 */
@Component({
  selector: 'app-ipam-prefix-tree',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [NzButtonModule, NzProgressModule, NzTableModule, NzTagModule, NzTooltipModule, ErrorAlertComponent, TranslatePipe, AllocateDialogComponent, PrefixDetailComponent],
  template: `
    <app-error-alert [error]="error()" />
    <nz-table #t [nzData]="rows()" [nzLoading]="loading()" [nzFrontPagination]="false" [nzShowPagination]="false" nzSize="small" [nzNoResult]="empty">
      <thead>
        <tr>
          <th>{{ 'ipam.col.cidr' | t }}</th>
          <th>{{ 'ipam.col.kind' | t }}</th>
          <th>{{ 'ipam.col.status' | t }}</th>
          <th>{{ 'ipam.col.unit' | t }}</th>
          <th>{{ 'ipam.col.plane' | t }}</th>
          <th nzWidth="260px">{{ 'ipam.col.utilisation' | t }}</th>
          <th>{{ 'ipam.col.actions' | t }}</th>
        </tr>
      </thead>
      <tbody>
        @for (row of rows(); track rowKey(row)) {
          @if (asMore(row); as m) {
            <tr class="more-row">
              <td colspan="7" [style.padding-left.px]="8 + m.depth * 20">
                <button nz-button nzType="link" nzSize="small" class="load-more" (click)="loadMore(m)">{{ 'common.loadMore' | t }}</button>
              </td>
            </tr>
          } @else if (asRow(row); as row) {
          <tr class="prefix-row" [attr.data-cidr]="row.node.cidr">
            <td [style.padding-left.px]="8 + row.depth * 20">
              @if (row.node.children > 0) {
                <button nz-button nzType="text" nzSize="small" class="toggle" [attr.aria-expanded]="row.expanded" (click)="toggle(row)">{{ row.expanded ? '−' : '+' }}</button>
              }
              <a class="cidr" (click)="detailId.set(row.node.id)"><code>{{ row.node.cidr }}</code></a>
            </td>
            <td><nz-tag>{{ 'ipam.kind.' + row.node.kind | t }}</nz-tag></td>
            <td>{{ 'ipam.status.' + row.node.status | t }}</td>
            <td>{{ row.node.unitCode ?? '' }}</td>
            <td>{{ row.node.planeId ?? '' }}</td>
            <td>
              <nz-progress class="util" nzSize="small" [nzPercent]="row.node.utilisation.percent" [nzStatus]="status(row.node.utilisation.percent)"
                nz-tooltip [nzTooltipTitle]="'ipam.used' | t: { used: size(row.node.utilisation.used), allocatable: size(row.node.utilisation.allocatable), size: size(row.node.utilisation.size) }" />
            </td>
            <td>
              @if (canWrite() && row.node.kind !== 'assigned') {
                <button nz-button nzSize="small" class="allocate" (click)="allocating.set(row.node)">{{ 'ipam.allocate' | t }}</button>
              }
            </td>
          </tr>
          }
        }
      </tbody>
    </nz-table>
    <ng-template #empty>{{ 'ipam.empty' | t }}</ng-template>
    <app-ipam-allocate-dialog [parent]="allocating()" (closed)="allocating.set(null)" (allocated)="onAllocated($event)" />
    <app-ipam-prefix-detail [prefixId]="detailId()" (closed)="detailId.set(null)" (changed)="refresh($event)" />
  `,
})
export class PrefixTreeComponent {
  private readonly api = inject(IpamApiService);
  private readonly tasks = inject(PendingTasks);
  private readonly session = inject(SessionStore);

  readonly vrfId = input<string | null>(null);

  protected readonly rows = signal<TreeRow[]>([]);
  protected readonly asMore = (r: TreeRow): MoreRow | null => (isMore(r) ? r : null);
  protected readonly asRow = (r: TreeRow): Row | null => (isMore(r) ? null : r);
  protected readonly rowKey = (r: TreeRow) => (isMore(r) ? `more:${r.more.parentId ?? ''}` : r.node.id);
  protected readonly loading = signal(false);
  protected readonly error = signal<ApiError | null>(null);
  protected readonly allocating = signal<PrefixNode | null>(null);
  protected readonly detailId = signal<string | null>(null);
  protected readonly canWrite = computed(() => this.session.hasAnyRole(['admin', 'network-engineer']));
  protected readonly status = utilisationStatus;
  protected readonly size = sizeText;

  constructor() {
    effect(() => {
      const vrf = this.vrfId();
      untracked(() => void this.tasks.run(() => this.loadRoots(vrf)));
    });
  }

  private async loadRoots(vrfId: string | null): Promise<void> {
    this.rows.set([]);
    if (!vrfId) return;
    this.loading.set(true);
    this.error.set(null);
    try {
      const page = await this.api.prefixes(vrfId, null);
      this.rows.set([...page.items.map((node) => ({ node, depth: 0, expanded: false })), ...moreRow(null, page.nextCursor, 0)]);
    } catch (err) {
      this.error.set(toApiError(err));
    } finally {
      this.loading.set(false);
    }
  }

  protected toggle(row: Row): Promise<void> {
    return row.expanded ? Promise.resolve(this.collapse(row.node.id)) : this.expand(row.node.id);
  }

  private collapse(id: string): void {
    const rows = this.rows();
    const at = rows.findIndex((r) => !isMore(r) && r.node.id === id);
    if (at < 0) return;
    let end = at + 1;
    while (end < rows.length && rows[end]!.depth > rows[at]!.depth) end++;
    this.rows.set([...rows.slice(0, at), { ...(rows[at] as Row), expanded: false }, ...rows.slice(end)]);
  }

  private async expand(id: string): Promise<void> {
    const vrfId = this.vrfId();
    if (!vrfId) return;
    try {
      const page = await this.api.prefixes(vrfId, id);
      this.collapse(id);
      const rows = this.rows();
      const at = rows.findIndex((r) => !isMore(r) && r.node.id === id);
      if (at < 0) return;
      const parent = rows[at] as Row;
      const children = [...page.items.map((node) => ({ node, depth: parent.depth + 1, expanded: false })), ...moreRow(id, page.nextCursor, parent.depth + 1)];
      this.rows.set([...rows.slice(0, at), { ...parent, expanded: true }, ...children, ...rows.slice(at + 1)]);
    } catch (err) {
      this.error.set(toApiError(err));
    }
  }

  /** The next page of a level: its rows take the place of the "load more" row (which moves below them while there is more). */
  protected async loadMore(row: MoreRow): Promise<void> {
    const vrfId = this.vrfId();
    if (!vrfId) return;
    try {
      const page = await this.api.prefixes(vrfId, row.more.parentId, row.more.cursor);
      const rows = this.rows();
      const at = rows.indexOf(row);
      if (at < 0) return;
      const next = [...page.items.map((node) => ({ node, depth: row.depth, expanded: false })), ...moreRow(row.more.parentId, page.nextCursor, row.depth)];
      this.rows.set([...rows.slice(0, at), ...next, ...rows.slice(at + 1)]);
    } catch (err) {
      this.error.set(toApiError(err));
    }
  }

  /** A prefix's own bar changed (an address was allocated in it). */
  protected async refresh(id: string): Promise<void> {
    const fresh = await this.api.prefix(id).catch(() => null);
    if (fresh) this.rows.update((rows) => rows.map((r) => (!isMore(r) && r.node.id === id ? { ...r, node: { ...r.node, utilisation: fresh.utilisation } } : r)));
  }

  /** The parent's bar and children change: read the parent again and show its children. */
  protected async onAllocated(prefix: AllocatedPrefix): Promise<void> {
    this.allocating.set(null);
    const parentId = prefix.parentId;
    if (!parentId) return;
    const fresh = await this.api.prefix(parentId).catch(() => null);
    if (fresh) {
      this.rows.update((rows) => rows.map((r) => (!isMore(r) && r.node.id === parentId ? { ...r, node: { ...r.node, utilisation: fresh.utilisation, children: r.node.children + (prefix.replayed ? 0 : 1) } } : r)));
    }
    await this.expand(parentId);
  }
}
