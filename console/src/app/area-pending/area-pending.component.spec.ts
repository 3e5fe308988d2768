import { TestBed } from '@angular/core/testing';
import { I18nService } from '../core/i18n/i18n.service';
import { settle, renderComponent, setUpConsoleSpec } from '../../testing/test-helpers';
import { AreaPendingComponent } from './area-pending.component';

describe('AreaPendingComponent', () => {
  beforeEach(() => {
    setUpConsoleSpec({ imports: [AreaPendingComponent] });
  });

  it('says plainly that the area comes with a later release, in either language', async () => {
    const { fixture, el } = await renderComponent(AreaPendingComponent, { inputs: { labelKey: 'nav.dr' } });

    expect(el.querySelector('.ant-result-title')?.textContent).toContain('「灾备」将在后续版本中提供');

    TestBed.inject(I18nService).setLang('en');
    await settle(fixture);
    expect(el.querySelector('.ant-result-title')?.textContent).toContain('Disaster recovery arrives with a later release');
    expect(el.querySelector('table, nz-table')).toBeNull(); // no placeholder data
  });
});
