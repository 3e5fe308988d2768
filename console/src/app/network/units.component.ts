import { ChangeDetectionStrategy, Component, OnInit, PendingTasks, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { Router } from '@angular/router';
import { NzSelectModule } from 'ng-zorro-antd/select';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { NzTooltipModule } from 'ng-zorro-antd/tooltip';
import { NzFormatEmitEvent, NzTreeModule, NzTreeNodeOptions } from 'ng-zorro-antd/tree';
import { ApiError, toApiError } from '../core/api-error';
import { ErrorAlertComponent } from '../core/error-alert.component';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { InnerInputLabelDirective } from '../core/inner-input-label.directive';
import { NetworkApiService } from './network-api.service';
import { badges } from './network-format';
import { provideNetworkIcons } from './network-icons';
import { NETWORK_STAFF, NetworkNavComponent } from './network-nav.component';
import { SessionStore } from '../core/session';
import type { TreeNode } from './network-types';
import { UnitSearch } from './unit-search';

/** A tree node as nz-tree holds it, with the unit's figures kept for the badges. */
type UnitNodeOptions = NzTreeNodeOptions & { unit: TreeNode };

const toNode = (unit: TreeNode): UnitNodeOptions => ({ key: unit.code, title: unit.name, isLeaf: !unit.hasChildren, unit });

/**
 * Province → city → county → township → village, one level at a time (the server rolls each child's whole
 * subtree up, so the badges at any level count every unit below). Clicking a name opens the unit.
 */
@Component({
  selector: 'app-network-units',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ReactiveFormsModule, NzSelectModule, NzTreeModule, NzTagModule, NzTooltipModule, ErrorAlertComponent, TranslatePipe, InnerInputLabelDirective, NetworkNavComponent],
  providers: [provideNetworkIcons()],
  template: `
    <app-network-nav />
    @if (canOpen()) {
    <div class="unit-search">
      <label class="sr-only" for="unit-search">{{ 'network.units.search' | t }}</label>
      <nz-select nzId="unit-search" class="unit-search-select" style="width: 320px" nzShowSearch nzServerSearch nzAllowClear [nzPlaceHolder]="'network.units.search' | t"
        [formControl]="jumpCtl" (nzOnSearch)="unitSearch.search($event)">
        @for (u of unitSearch.hits(); track u.code) { <nz-option [nzValue]="u.code" [nzLabel]="u.name + ' ' + u.code + ' · ' + ('network.level.' + u.level | t)" /> }
      </nz-select>
    </div>
    }
    <p class="muted">{{ 'network.units.hint' | t }}</p>
    <app-error-alert [error]="error()" />
    <nz-tree class="unit-tree" [appInnerInputLabel]="'network.units.tree' | t" [nzData]="nodes()" nzAsyncData [nzTreeTemplate]="tpl" (nzExpandChange)="expand($event)" />
    <ng-template #tpl let-node>
      @let u = node.origin.unit;
      @let b = badgesOf(u);
      <span class="unit-node" [attr.data-code]="u.code">
        @if (canOpen()) {
          <a class="unit-name" (click)="open(u.code); $event.stopPropagation()">{{ u.name }}</a>
        } @else {
          <span class="unit-name">{{ u.name }}</span>
        }
        <span class="unit-code muted">{{ u.code }}</span>
        <span class="unit-level muted">{{ 'network.level.' + u.level | t }}</span>
        @if (u.synthetic) { <nz-tag class="synthetic">{{ 'network.synthetic' | t }}</nz-tag> }
        <nz-tag class="badge-dual" [nzColor]="b.dualColor" [nz-tooltip]="'network.badge.dualTip' | t: { dual: u.dualPlane, units: u.units, single: u.singleHomed, none: u.none }">
          {{ 'network.badge.dual' | t: { p: b.dual } }}
        </nz-tag>
        <nz-tag class="badge-v6" [nzColor]="b.v6Color" [nz-tooltip]="'network.badge.v6Tip' | t: { ready: u.ipv6Ready, units: u.units }">
          {{ 'network.badge.v6' | t: { p: b.v6 } }}
        </nz-tag>
      </span>
    </ng-template>
  `,
  styles: `
    .unit-search { margin-bottom: 8px; }
    .unit-node { display: inline-flex; gap: 8px; align-items: center; }
    .muted { color: var(--gy-muted); }
    .unit-code { font-family: monospace; font-size: 12px; }
  `,
})
export class UnitsComponent implements OnInit {
  private readonly api = inject(NetworkApiService);
  private readonly router = inject(Router);
  private readonly tasks = inject(PendingTasks);

  protected readonly nodes = signal<UnitNodeOptions[]>([]);
  protected readonly error = signal<ApiError | null>(null);
  protected readonly badgesOf = badges;
  /** Finds units by code prefix or part of the name, to jump straight to one. */
  protected readonly unitSearch = new UnitSearch(this.error);
  /** The search box: choosing a unit opens it. */
  protected readonly jumpCtl = new FormControl<string | null>(null);

  constructor() {
    this.jumpCtl.valueChanges.pipe(takeUntilDestroyed()).subscribe((code) => code && this.open(code));
  }
  /** Unit pages show devices and links: network staff only (the server refuses others the same way). */
  protected readonly canOpen = computed(() => this.session.hasAnyRole(NETWORK_STAFF));
  private readonly session = inject(SessionStore);


  ngOnInit(): void {
    void this.tasks.run(async () => {
      try {
        const root = await this.api.tree();
        // The province opens at once: its cities are what people look for first.
        const nodes = root.items.map(toNode);
        if (nodes[0] && !nodes[0].isLeaf) {
          nodes[0].children = (await this.api.tree(nodes[0].key)).items.map(toNode);
          nodes[0].expanded = true;
        }
        this.nodes.set(nodes);
      } catch (err) {
        this.error.set(toApiError(err));
      }
    });
  }

  /** Loads a node's children the first time it opens. */
  async expand(event: NzFormatEmitEvent): Promise<void> {
    const node = event.node;
    if (event.eventName !== 'expand' || !node || !node.isExpanded || node.getChildren().length) return;
    try {
      node.addChildren((await this.api.tree(node.key)).items.map(toNode));
    } catch (err) {
      this.error.set(toApiError(err));
    }
  }

  protected open(code: string): void {
    void this.router.navigate(['/network/units', code]);
  }
}
