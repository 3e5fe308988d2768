import { Routes } from '@angular/router';
import { authGuard, roleGuard, signedInGuard } from './core/guards';
import { ADMIN_ITEMS, AUDIT_ITEM, MAIN_AREAS } from './nav';

export const routes: Routes = [
  {
    path: 'login',
    title: 'login.title',
    loadComponent: () => import('./login/login.component').then((m) => m.LoginComponent),
  },
  {
    path: 'password',
    title: 'password.title',
    canActivate: [signedInGuard],
    loadComponent: () => import('./password/password-change.component').then((m) => m.PasswordChangeComponent),
  },
  {
    path: '',
    canActivate: [authGuard],
    loadComponent: () => import('./layout/layout.component').then((m) => m.LayoutComponent),
    children: [
      {
        path: '',
        pathMatch: 'full',
        title: 'overview.title',
        loadComponent: () => import('./overview/overview.component').then((m) => m.OverviewComponent),
      },
      {
        path: ADMIN_ITEMS[0].path,
        title: 'users.title',
        canActivate: [roleGuard(['admin'])],
        loadComponent: () => import('./admin/users/users.component').then((m) => m.UsersComponent),
      },
      {
        path: ADMIN_ITEMS[1].path,
        title: 'departments.title',
        canActivate: [roleGuard(['admin'])],
        loadComponent: () =>
          import('./admin/departments/departments.component').then((m) => m.DepartmentsComponent),
      },
      {
        path: AUDIT_ITEM.path,
        title: 'audit.title',
        canActivate: [roleGuard(['admin', 'auditor'])],
        loadComponent: () => import('./audit/audit.component').then((m) => m.AuditComponent),
      },
      {
        path: 'clouds',
        title: 'clouds.title',
        loadComponent: () => import('./clouds/clouds.component').then((m) => m.CloudsComponent),
      },
      {
        path: 'clouds/devices',
        title: 'devices.title',
        loadComponent: () => import('./clouds/devices.component').then((m) => m.DevicesComponent),
      },
      {
        path: 'clouds/devices/register',
        title: 'devices.register',
        canActivate: [roleGuard(['admin'])],
        loadComponent: () => import('./clouds/device-register.component').then((m) => m.DeviceRegisterComponent),
      },
      {
        path: 'clouds/:id/device',
        title: 'devices.title',
        loadComponent: () => import('./clouds/device-detail.component').then((m) => m.DeviceDetailComponent),
      },
      {
        path: 'clouds/:id',
        title: 'clouds.title',
        loadComponent: () => import('./clouds/cloud-detail.component').then((m) => m.CloudDetailComponent),
      },
      {
        path: 'workflows',
        title: 'workflows.title',
        loadComponent: () => import('./workflows/workflows.component').then((m) => m.WorkflowsComponent),
      },
      {
        path: 'workflows/:id',
        title: 'workflows.title',
        loadComponent: () =>
          import('./workflows/workflow-detail.component').then((m) => m.WorkflowDetailComponent),
      },
      {
        path: 'onboarding',
        title: 'onboarding.title',
        loadComponent: () => import('./onboarding/onboarding.component').then((m) => m.OnboardingComponent),
      },
      {
        path: 'systems/:id',
        title: 'systemDetail.title',
        loadComponent: () => import('./systems/system-detail.component').then((m) => m.SystemDetailComponent),
      },
      {
        path: 'quotas',
        title: 'quotas.title',
        loadComponent: () => import('./quotas/quotas.component').then((m) => m.QuotasComponent),
      },
      {
        path: 'requests',
        title: 'requests.title',
        loadComponent: () => import('./requests/requests.component').then((m) => m.RequestsComponent),
      },
      {
        path: 'requests/:id',
        title: 'requestDetail.title',
        loadComponent: () => import('./systems/request-detail.component').then((m) => m.RequestDetailComponent),
      },
      {
        path: 'resources',
        title: 'resources.title',
        loadComponent: () => import('./resources/resources.component').then((m) => m.ResourcesComponent),
      },
      {
        path: 'network',
        title: 'network.title',
        loadComponent: () => import('./network/readiness.component').then((m) => m.ReadinessComponent),
      },
      {
        path: 'network/units',
        title: 'network.nav.units',
        loadComponent: () => import('./network/units.component').then((m) => m.UnitsComponent),
      },
      {
        path: 'network/units/:code',
        title: 'network.nav.units',
        loadComponent: () => import('./network/unit-detail.component').then((m) => m.UnitDetailComponent),
      },
      {
        path: 'network/risks',
        title: 'network.nav.risks',
        loadComponent: () => import('./network/risks.component').then((m) => m.RisksComponent),
      },
      {
        path: 'network/access',
        title: 'network.nav.access',
        loadComponent: () => import('./network/access-check.component').then((m) => m.AccessCheckComponent),
      },
      {
        path: 'network/import',
        title: 'network.nav.import',
        loadComponent: () => import('./network/csv-import.component').then((m) => m.CsvImportComponent),
      },
      {
        path: 'network/ipam',
        title: 'ipam.title',
        loadComponent: () => import('./network/ipam/ipam.component').then((m) => m.IpamComponent),
      },
      {
        path: 'dr',
        title: 'nav.dr',
        loadComponent: () => import('./dr/dr.component').then((m) => m.DrComponent),
      },
      {
        path: 'dr/runs/:id',
        title: 'nav.dr',
        loadComponent: () => import('./dr/dr-run.component').then((m) => m.DrRunComponent),
      },
      {
        path: 'migrations',
        title: 'nav.migrations',
        loadComponent: () => import('./migrations/migrations.component').then((m) => m.MigrationsComponent),
      },
      {
        path: 'migrations/waves/:id',
        title: 'nav.migrations',
        loadComponent: () => import('./migrations/wave.component').then((m) => m.WaveComponent),
      },
      ...MAIN_AREAS.filter((area) => area.pending).map((area) => ({
        path: area.path,
        title: area.labelKey,
        data: { labelKey: area.labelKey },
        loadComponent: () =>
          import('./area-pending/area-pending.component').then((m) => m.AreaPendingComponent),
      })),
    ],
  },
  { path: '**', redirectTo: '' },
];
