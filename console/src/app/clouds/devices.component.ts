import { ChangeDetectionStrategy, Component, OnInit, PendingTasks, inject, signal } from '@angular/core';
import { DatePipe } from '@angular/common';
import { RouterLink } from '@angular/router';
import { NzAlertModule } from 'ng-zorro-antd/alert';
import { NzButtonModule } from 'ng-zorro-antd/button';
import { NzCardModule } from 'ng-zorro-antd/card';
import { NzTableModule } from 'ng-zorro-antd/table';
import { API } from '../core/api-client';
import { Actions } from '../core/actions';
import { type ApiError, toApiError } from '../core/api-error';
import { ErrorAlertComponent } from '../core/error-alert.component';
import { TranslatePipe } from '../core/i18n/t.pipe';
import { PagedList } from '../core/paged-list';
import { SessionStore } from '../core/session';
import type { HostKeyAlarm, KnownHost } from './devices-api.service';

/**
 * Host-key alarms (a pinned host presented another key: connections refused) and the pinned keys. An admin who
 * has checked the new key with the device's owner re-accepts it here; the server re-reads the key and refuses a
 * fingerprint the host does not present.
 */
@Component({
  selector: 'app-devices',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, RouterLink, NzAlertModule, NzButtonModule, NzCardModule, NzTableModule, ErrorAlertComponent, TranslatePipe],
  template: `
    <section class="devices">
      <h2>{{ 'devices.title' | t }}</h2>
      @if (isAdmin()) {
        <a nz-button nzType="primary" routerLink="/clouds/devices/register" class="register">{{ 'devices.register' | t }}</a>
      }
      <app-error-alert [error]="error()" />
      <nz-card [nzTitle]="'devices.alarms' | t" class="alarms">
        @if (alarms().length === 0) {
          @if (!alarmList.loading()) { <p class="no-alarms">{{ 'devices.alarms.none' | t }}</p> }
        } @else {
          <nz-alert nzType="error" nzShowIcon [nzMessage]="'devices.alarm.banner' | t: { n: alarmList.total() ?? alarms().length }" />
          <nz-table #t [nzData]="alarms()" nzSize="small" [nzShowPagination]="false">
            <thead><tr>
              <th>{{ 'devices.host' | t }}</th><th>{{ 'devices.alarm.expected' | t }}</th><th>{{ 'devices.alarm.presented' | t }}</th>
              <th>{{ 'devices.alarm.occurrences' | t }}</th><th>{{ 'devices.alarm.lastSeen' | t }}</th><th></th>
            </tr></thead>
            <tbody>
              @for (a of t.data; track a.id) {
                <tr class="alarm-row">
                  <td>{{ a.host }}:{{ a.port }} @if (a.cloudId) { (<a [routerLink]="['/clouds', a.cloudId, 'device']">{{ a.cloudId }}</a>) }</td>
                  <td><code>{{ a.expectedFingerprint }}</code></td>
                  <td><code>{{ a.presentedFingerprint }}</code></td>
                  <td>{{ a.occurrences }}</td>
                  <td>{{ a.lastSeenAt | date: 'yyyy-MM-dd HH:mm:ss' }}</td>
                  <td>
                    @if (isAdmin()) {
                      <button nz-button nzDanger nzSize="small" class="reaccept" [nzLoading]="actions.busy('' + a.id)" (click)="reaccept(a)">{{ 'devices.alarm.reaccept' | t }}</button>
                    }
                  </td>
                </tr>
              }
            </tbody>
          </nz-table>
        }
        @if (alarmList.error(); as e) { <app-error-alert class="alarms-error" [error]="e" /> }
        @if (alarmList.hasMore()) {
          <button nz-button nzType="link" class="more-alarms" [nzLoading]="alarmList.loading()" (click)="alarmList.more()">{{ 'common.loadMore' | t }}</button>
        }
      </nz-card>
      <nz-card [nzTitle]="'devices.knownHosts' | t" class="known-hosts">
        <nz-table #k [nzData]="knownHosts()" nzSize="small" [nzPageSize]="20">
          <thead><tr><th>{{ 'devices.host' | t }}</th><th>{{ 'devices.fingerprint' | t }}</th><th>{{ 'devices.acceptedBy' | t }}</th><th>{{ 'devices.acceptedAt' | t }}</th></tr></thead>
          <tbody>
            @for (h of k.data; track h.host + ':' + h.port) {
              <tr><td>{{ h.host }}:{{ h.port }}</td><td><code>{{ h.fingerprint }}</code></td><td>{{ h.acceptedBy }}</td><td>{{ h.acceptedAt | date: 'yyyy-MM-dd HH:mm' }}</td></tr>
            }
          </tbody>
        </nz-table>
      </nz-card>
    </section>
  `,
})
export class DevicesComponent implements OnInit {
  private readonly api = inject(API);
  private readonly tasks = inject(PendingTasks);
  private readonly session = inject(SessionStore);

  /** The open alarms, newest first, a page at a time (devices.alarms pages by cursor; the banner counts them all). */
  protected readonly alarmList = new PagedList<HostKeyAlarm>({
    load: (cursor) => this.api.devices.alarms.query({ open: true, limit: 50, ...(cursor ? { cursor } : {}) }),
    key: (a) => a.id,
  });
  protected readonly alarms = this.alarmList.items;
  protected readonly knownHosts = signal<KnownHost[]>([]);
  protected readonly error = signal<ApiError | null>(null);
  /** Re-accepting a presented key (one alarm at a time); the alarms and pinned keys are read again after it. */
  protected readonly actions = new Actions({ error: this.error, reload: () => this.load() });
  protected readonly isAdmin = () => this.session.hasAnyRole(['admin']);

  ngOnInit(): void {
    void this.tasks.run(() => this.load());
  }

  async load(): Promise<void> {
    this.error.set(null);
    try {
      const [, known] = await Promise.all([this.alarmList.reload(), this.api.devices.knownHosts.query({})]);
      this.knownHosts.set(known.items);
    } catch (err) {
      this.error.set(toApiError(err));
    }
  }

  async reaccept(alarm: HostKeyAlarm): Promise<void> {
    await this.actions.run(String(alarm.id), () => this.api.devices.acceptHostKey.mutate({ host: alarm.host, port: alarm.port, fingerprint: alarm.presentedFingerprint }));
  }
}
