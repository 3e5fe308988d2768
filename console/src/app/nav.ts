import type { Role } from './core/api-types';

export interface NavItem {
  /** Route path under the layout. */
  path: string;
  /** `nav.<the path's last segment>`. */
  labelKey: string;
  icon: string;
  /** Who sees the entry; absent means every signed-in user. */
  roles?: readonly Role[];
  /** Not built in this release: routes to AreaPendingComponent. */
  pending?: boolean;
}

/** A menu entry, labelled by the `nav.` text of its path's last segment. */
function entry(path: string, icon: string, roles?: readonly Role[]): NavItem {
  return { path, labelKey: `nav.${path.slice(path.lastIndexOf('/') + 1)}`, icon, ...(roles ? { roles } : {}) };
}

/** The product's main areas in menu order, visible to every signed-in role. */
export const MAIN_AREAS: readonly NavItem[] = [
  entry('clouds', 'cloud'),
  entry('workflows', 'reload'),
  entry('onboarding', 'api'),
  entry('quotas', 'pie-chart'),
  entry('requests', 'audit'),
  entry('resources', 'hdd'),
  entry('network', 'global'),
  entry('dr', 'safety'),
  entry('migrations', 'swap'),
];

export const ADMIN_ITEMS: readonly NavItem[] = [entry('admin/users', 'user', ['admin']), entry('admin/departments', 'apartment', ['admin'])];

export const AUDIT_ITEM: NavItem = entry('audit', 'file-search', ['admin', 'auditor']);
