import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { RouterLink, RouterLinkActive } from '@angular/router';
import { NzIconModule } from 'ng-zorro-antd/icon';
import type { Role } from '../core/api-types';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { SessionStore } from '../core/session';

/** The extranet area's sub-navigation; IPAM (network/ipam) is its own page, built beside this one. */
/** Network staff (and auditors, operators) see the inventory; everyone sees the figures and the tree. */
export const NETWORK_STAFF: readonly Role[] = ['admin', 'network-engineer', 'cloud-operator', 'auditor'];
const CHECKERS: readonly Role[] = ['admin', 'network-engineer', 'cloud-operator', 'department-admin', 'department-user'];

export const NETWORK_PAGES: readonly { path: string; key: string; icon: string; exact: boolean; roles?: readonly Role[] }[] = [
  { path: '/network', key: 'network.nav.readiness', icon: 'dashboard', exact: true },
  { path: '/network/units', key: 'network.nav.units', icon: 'apartment', exact: false },
  { path: '/network/risks', key: 'network.nav.risks', icon: 'warning', exact: false, roles: NETWORK_STAFF },
  { path: '/network/access', key: 'network.nav.access', icon: 'aim', exact: false, roles: CHECKERS },
  { path: '/network/import', key: 'network.nav.import', icon: 'upload', exact: false, roles: ['admin', 'network-engineer'] },
  { path: '/network/ipam', key: 'ipam.title', icon: 'cluster', exact: false, roles: NETWORK_STAFF },
];

@Component({
  selector: 'app-network-nav',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, RouterLinkActive, NzIconModule, TranslatePipe],
  template: `
    <nav class="network-nav">
      <span class="network-title">{{ 'network.title' | t }}</span>
      @for (p of pages(); track p.path) {
        <a [routerLink]="p.path" routerLinkActive="active" [routerLinkActiveOptions]="{ exact: p.exact }" [attr.data-page]="p.path">
          <nz-icon [nzType]="p.icon" /> {{ p.key | t }}
        </a>
      }
    </nav>
  `,
  styles: `
    .network-nav { display: flex; gap: 4px; align-items: center; border-bottom: 1px solid #f0f0f0; margin-bottom: 16px; flex-wrap: wrap; }
    .network-title { font-weight: 600; font-size: 16px; margin-right: 16px; }
    a { padding: 8px 12px; color: inherit; border-bottom: 2px solid transparent; }
    a.active { color: var(--ant-primary-color); border-bottom-color: var(--ant-primary-color); }
  `,
})
export class NetworkNavComponent {
  private readonly session = inject(SessionStore);
  /** Pages the caller may open (the server checks the same roles). */
  protected readonly pages = computed(() => NETWORK_PAGES.filter((p) => !p.roles || this.session.hasAnyRole(p.roles)));
}
