import { ChangeDetectionStrategy, Component, signal } from '@angular/core';
import { click, renderComponent, settle, setUpConsoleSpec } from '../../testing/test-helpers';
import { RefreshButtonComponent } from './refresh-button.component';

@Component({
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RefreshButtonComponent],
  template: `<app-refresh-button [loading]="loading()" (refresh)="reads = reads + 1" />`,
})
class HostComponent {
  readonly loading = signal(false);
  reads = 0;
}

describe('RefreshButtonComponent', () => {
  beforeEach(() => setUpConsoleSpec({ imports: [HostComponent] }));

  it('says refresh in the user language and asks the page to read again when clicked', async () => {
    const { fixture, el } = await renderComponent(HostComponent);
    const button = el.querySelector<HTMLButtonElement>('button.refresh')!;
    expect(button.textContent!.trim()).toBe('刷新');
    expect(button.querySelector('[nztype="reload"], .anticon-reload')).not.toBeNull();
    click(button);
    await settle(fixture);
    expect(fixture.componentInstance.reads).toBe(1);
  });

  it('spins while the page reads', async () => {
    const { fixture, el } = await renderComponent(HostComponent);
    fixture.componentInstance.loading.set(true);
    await settle(fixture);
    expect(el.querySelector('button.refresh')!.classList).toContain('ant-btn-loading');
  });
});
