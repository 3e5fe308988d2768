import { ChangeDetectionStrategy, Component, OnInit, computed, inject, signal } from '@angular/core';
import { RouterLink, RouterOutlet } from '@angular/router';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzIconModule } from 'ng-zorro-antd/icon';
import { NzLayoutModule } from 'ng-zorro-antd/layout';
import { NzMenuModule } from 'ng-zorro-antd/menu';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { AuthService } from '../core/auth.service';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { LangSwitchComponent } from '../core/lang-switch.component';
import { SessionStore } from '../core/session';
import { ADMIN_ITEMS, AUDIT_ITEM, MAIN_AREAS, NavItem } from '../nav';
import { ChangePasswordDialogComponent } from './change-password-dialog.component';

@Component({
  selector: 'app-layout',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    RouterLink,
    RouterOutlet,
    NzButtonModule,
    NzIconModule,
    NzLayoutModule,
    NzMenuModule,
    NzTagModule,
    ChangePasswordDialogComponent,
    LangSwitchComponent,
    TranslatePipe,
  ],
  templateUrl: './layout.component.html',
  styleUrl: './layout.component.css',
})
export class LayoutComponent implements OnInit {
  private readonly auth = inject(AuthService);
  private readonly session = inject(SessionStore);

  protected readonly user = this.session.user;
  protected readonly collapsed = signal(false);
  protected readonly passwordOpen = signal(false);

  protected readonly areas = MAIN_AREAS;
  protected readonly adminItems = computed(() => ADMIN_ITEMS.filter((i) => this.allowed(i)));
  protected readonly auditItem = computed(() => (this.allowed(AUDIT_ITEM) ? AUDIT_ITEM : null));

  ngOnInit(): void {
    // Someone whose password was reset must pick a new one before doing anything else.
    if (this.user()?.mustChangePassword) this.passwordOpen.set(true);
    // The stored profile may be stale (roles changed by an admin); a 401 here signs out.
    this.auth.refresh().catch(() => undefined);
  }

  protected logout(): void {
    void this.auth.logout();
  }

  private allowed(item: NavItem): boolean {
    return !item.roles || this.session.hasAnyRole(item.roles);
  }
}
