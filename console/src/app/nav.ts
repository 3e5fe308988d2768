import type { Role } from './core/api-types';

export interface NavItem {
  /** Route path under the layout, also the key for `nav.<path>` texts where not given. */
  path: string;
  labelKey: string;
  icon: string;
  /** Who sees the entry; absent means every signed-in user. */
  roles?: readonly Role[];
  /** Not built in this release: routes to AreaPendingComponent. */
  pending?: boolean;
}

/** The product's main areas in menu order, visible to every signed-in role. */
export const MAIN_AREAS: readonly NavItem[] = [
  { path: 'clouds', labelKey: 'nav.clouds', icon: 'cloud' },
  { path: 'workflows', labelKey: 'nav.workflows', icon: 'reload' },
  { path: 'onboarding', labelKey: 'nav.onboarding', icon: 'api' },
  { path: 'quotas', labelKey: 'nav.quotas', icon: 'pie-chart' },
  { path: 'requests', labelKey: 'nav.requests', icon: 'audit' },
  { path: 'resources', labelKey: 'nav.resources', icon: 'hdd' },
  { path: 'network', labelKey: 'nav.network', icon: 'global' },
  { path: 'dr', labelKey: 'nav.dr', icon: 'safety' },
  { path: 'migrations', labelKey: 'nav.migrations', icon: 'swap' },
];

export const ADMIN_ITEMS: readonly NavItem[] = [
  { path: 'admin/users', labelKey: 'nav.users', icon: 'user', roles: ['admin'] },
  { path: 'admin/departments', labelKey: 'nav.departments', icon: 'apartment', roles: ['admin'] },
];

export const AUDIT_ITEM: NavItem = {
  path: 'audit',
  labelKey: 'nav.audit',
  icon: 'file-search',
  roles: ['admin', 'auditor'],
};
