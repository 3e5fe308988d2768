import { ChangeDetectionStrategy, Component, OnInit, PendingTasks, inject, signal } from '@angular/core';
import { DatePipe } from '@angular/common';
import { RouterLink } from '@angular/router';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzTagModule } from 'ng-zorro-antd/tag';
import { API } from '../core/api-client';
import { Actions } from '../core/actions';
import { toApiError, type ApiError } from '../core/api-error';
import type { ApiOutputs } from '../core/api-types';
import { ErrorAlertComponent } from '../core/error-alert.component';
import { TranslatePipe } from '../core/i18n/t.pipe';

type Notice = ApiOutputs['resources']['notices']['items'][number];

/**
 * The signed-in person's end-date notices (到期提醒): the expiry sweep writes one to a resource's requester and its
 * system's owner before the end date. Unread ones first-class, each marked read on its own; read ones stay listed,
 * muted, so the date can still be looked up. Shows nothing when there are none.
 */
@Component({
  selector: 'app-resource-notices',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, RouterLink, NzButtonModule, NzTagModule, ErrorAlertComponent, TranslatePipe],
  template: `
    <app-error-alert [error]="error()" />
    @if (items().length) {
      <section class="resource-notices" [attr.aria-label]="'resourceNotices.title' | t">
        <h3>{{ 'resourceNotices.title' | t }} @if (unread() > 0) { <nz-tag nzColor="orange" class="unread-count">{{ unread() }}</nz-tag> }</h3>
        <ul class="notices">
          @for (n of items(); track n.id) {
            <li class="notice" [class.read]="n.readAt !== null" [attr.data-id]="n.id">
              <span class="text">{{ 'resourceNotices.expiry' | t: { kind: ('resources.kind.' + n.resourceKind | t), name: n.resourceName, date: (n.dueAt | date: 'yyyy-MM-dd HH:mm') ?? '' } }}</span>
              · <a class="system-link" [routerLink]="['/systems', n.systemId]">{{ n.systemName }}</a>
              @if (n.readAt === null) {
                <button nz-button nzType="link" nzSize="small" type="button" class="mark-read" [nzLoading]="actions.busy(n.id)" (click)="markRead(n)">{{ 'resourceNotices.markRead' | t }}</button>
              }
            </li>
          }
        </ul>
      </section>
    }
  `,
  styles: [`.notice.read { color: rgba(0, 0, 0, 0.45); } .notices { padding-left: 16px; }`],
})
export class ResourceNoticesComponent implements OnInit {
  private readonly api = inject(API);
  private readonly tasks = inject(PendingTasks);

  protected readonly items = signal<Notice[]>([]);
  protected readonly error = signal<ApiError | null>(null);
  /** Marking a notice read, by notice (one at a time). */
  protected readonly actions = new Actions({ error: this.error });
  protected readonly unread = () => this.items().filter((n) => n.readAt === null).length;

  ngOnInit(): void {
    void this.tasks.run(() => this.load());
  }

  private async load(): Promise<void> {
    try {
      this.items.set((await this.api.resources.notices.query({ unreadOnly: false, limit: 20 })).items);
    } catch (err) {
      this.error.set(toApiError(err));
    }
  }

  protected async markRead(n: Notice): Promise<void> {
    if (this.actions.busy()) return;
    await this.actions.run(n.id, async () => {
      await this.api.resources.markNoticeRead.mutate({ id: n.id });
      this.items.update((l) => l.map((x) => (x.id === n.id ? { ...x, readAt: new Date().toISOString() } : x)));
    });
  }
}
