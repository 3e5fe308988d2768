import {
  ChangeDetectionStrategy,
  Component,
  OnInit,
  PendingTasks,
  inject,
  signal,
} from '@angular/core';
import { NzCardModule } from 'ng-zorro-antd/card';
import { NzDescriptionsModule } from 'ng-zorro-antd/descriptions';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { API } from '../core/api-client';
import type { SystemInfo } from '../core/api-types';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { SessionStore } from '../core/session';

/** Landing page for users without an admin or audit area: who am I, what am I talking to. */
@Component({
  selector: 'app-home',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [NzCardModule, NzDescriptionsModule, NzTagModule, TranslatePipe],
  template: `
    @if (user(); as u) {
      <h2>{{ 'home.welcome' | t: { name: u.displayName } }}</h2>
      <nz-descriptions nzBordered [nzColumn]="1" [nzTitle]="'home.account' | t">
        <nz-descriptions-item [nzTitle]="'users.username' | t">{{ u.username }}</nz-descriptions-item>
        <nz-descriptions-item [nzTitle]="'home.department' | t">
          {{ u.departmentName ?? ('users.noDepartment' | t) }}
        </nz-descriptions-item>
        <nz-descriptions-item [nzTitle]="'home.roles' | t">
          @for (role of u.roles; track role) {
            <nz-tag nzColor="blue">{{ 'role.' + role | t }}</nz-tag>
          }
        </nz-descriptions-item>
      </nz-descriptions>
    }
    @if (info(); as i) {
      <nz-descriptions class="system" nzBordered [nzColumn]="1" [nzTitle]="'home.system' | t">
        <nz-descriptions-item [nzTitle]="'home.version' | t">{{ i.version }}</nz-descriptions-item>
        <nz-descriptions-item [nzTitle]="'home.store' | t">{{ 'home.store.' + i.store | t }}</nz-descriptions-item>
      </nz-descriptions>
    }
  `,
  styles: `
    .system {
      margin-top: 24px;
    }
  `,
})
export class HomeComponent implements OnInit {
  private readonly api = inject(API);
  private readonly tasks = inject(PendingTasks);
  protected readonly user = inject(SessionStore).user;
  protected readonly info = signal<SystemInfo | null>(null);

  ngOnInit(): void {
    // System info is a nicety: if it fails the page still shows the account.
    void this.tasks.run(async () => {
      try {
        this.info.set(await this.api.system.info.query());
      } catch {
        this.info.set(null);
      }
    });
  }
}
