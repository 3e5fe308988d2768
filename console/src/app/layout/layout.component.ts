import { ChangeDetectionStrategy, Component, OnInit, computed, effect, inject, signal } from '@angular/core';
import { Router, RouterLink, RouterOutlet } from '@angular/router';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzIconModule } from 'ng-zorro-antd/icon';
import { NzLayoutModule } from 'ng-zorro-antd/layout';
import { NzMenuModule } from 'ng-zorro-antd/menu';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { AuthService } from '../core/auth.service';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { LangSwitchComponent } from '../core/lang-switch.component';
import { returnUrlQuery } from '../core/return-url';
import { SessionStore } from '../core/session';
import { ADMIN_ITEMS, AUDIT_ITEM, MAIN_AREAS, NavItem } from '../nav';
import { ChangePasswordDialogComponent } from './change-password-dialog.component';

@Component({
  selector: 'app-layout',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, RouterOutlet, NzButtonModule, NzIconModule, NzLayoutModule, NzMenuModule, NzTagModule, ChangePasswordDialogComponent, LangSwitchComponent, TranslatePipe],
  templateUrl: './layout.component.html',
  styleUrl: './layout.component.css',
})
export class LayoutComponent implements OnInit {
  private readonly auth = inject(AuthService);
  private readonly session = inject(SessionStore);
  private readonly router = inject(Router);

  protected readonly user = this.session.user;
  protected readonly collapsed = signal(false);
  protected readonly passwordOpen = signal(false);

  protected readonly areas = MAIN_AREAS;
  protected readonly adminItems = computed(() => ADMIN_ITEMS.filter((i) => this.allowed(i)));
  protected readonly auditItem = computed(() => (this.allowed(AUDIT_ITEM) ? AUDIT_ITEM : null));

  constructor() {
    // A password reset while signed in (the profile refreshed below, or another tab): the password page first,
    // then back here. The guard does the same on the way in, so the layout normally never sees this.
    effect(() => {
      if (this.user()?.mustChangePassword) void this.router.navigate(['/password'], returnUrlQuery(this.router.url));
    });
  }

  ngOnInit(): void {
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
