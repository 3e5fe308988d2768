import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import type { ComponentFixture } from '@angular/core/testing';
import { toApiError, type ApiError } from '../core/api-error';
import { renderComponent, settle, setUpConsoleSpec } from '../../testing/test-helpers';
import { OverviewPanelComponent } from './overview-panel.component';

@Component({
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [OverviewPanelComponent],
  template: `
    <app-overview-panel class="panel panel-alarms" heading="overview.alarms" link="/clouds/devices" [badge]="badge()" [error]="error()">
      <ul class="lines"><li>a line</li></ul>
    </app-overview-panel>
    <app-overview-panel class="panel panel-audit" heading="overview.audit.recent" link="/audit" linkText="overview.audit.verify" />
  `,
})
class HostComponent {
  readonly badge = signal<number | undefined>(140);
  readonly error = signal<ApiError | undefined>(undefined);
}

describe('OverviewPanelComponent', () => {
  let fixture: ComponentFixture<HostComponent>;
  let el: HTMLElement;

  beforeEach(async () => {
    setUpConsoleSpec({ imports: [HostComponent] });
    ({ fixture, el } = await renderComponent(HostComponent));
  });

  it('titles the card in the user language with its count, links to its page and shows what it holds', () => {
    const alarms = el.querySelector('.panel-alarms')!;
    expect(alarms.querySelector('h2.panel-title')!.textContent).toContain('未处理告警');
    expect(alarms.querySelector('.badge-n')!.textContent!.trim()).toBe('140');
    const link = alarms.querySelector<HTMLAnchorElement>('.ant-card-extra a')!;
    expect(link.getAttribute('href')).toBe('/clouds/devices');
    expect(link.textContent!.trim()).toBe('查看');
    expect(alarms.querySelector('.ant-card-body ul.lines li')!.textContent).toBe('a line');
    expect(alarms.querySelector('.panel-error')).toBeNull();
  });

  it('shows no count when it has none, and the link text it is given', () => {
    const audit = el.querySelector('.panel-audit')!;
    expect(audit.querySelector('.badge-n')).toBeNull();
    expect(audit.querySelector('.ant-card-extra a')!.textContent!.trim()).toBe('到审计日志验证审计链');
  });

  it('says its own read failed, in the user language, without the server sentence', async () => {
    fixture.componentInstance.error.set(toApiError({ message: 'db down', data: { code: 'INTERNAL_SERVER_ERROR', httpStatus: 500 } }));
    fixture.componentInstance.badge.set(undefined);
    await settle(fixture);
    const error = el.querySelector('.panel-alarms .panel-error')!;
    expect(error.getAttribute('role')).toBe('alert');
    expect(error.textContent).toContain('此项加载失败');
    expect(error.textContent).toContain('服务器内部错误');
    expect(error.textContent).not.toContain('db down');
    expect(el.querySelector('.panel-alarms .badge-n')).toBeNull();
  });
});
