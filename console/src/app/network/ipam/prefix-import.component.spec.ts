import { TestBed } from '@angular/core/testing';
import { apiError, press, settle, typeInto, signIn, setUpConsoleSpec } from '../../../testing/test-helpers';
import { IpamApiService } from './ipam-api.service';
import { PrefixImportComponent } from './prefix-import.component';

describe('PrefixImportComponent', () => {
  let ipam: jasmine.SpyObj<IpamApiService>;

  async function render() {
    ipam = jasmine.createSpyObj<IpamApiService>('IpamApiService', ['importPrefixes', 'exportPrefixes']);
    setUpConsoleSpec({ providers: [{ provide: IpamApiService, useValue: ipam }] });
    signIn({ roles: ['network-engineer'] });
    const fixture = TestBed.createComponent(PrefixImportComponent);
    fixture.detectChanges();
    await settle(fixture);
    return fixture;
  }

  function paste(el: HTMLElement, csv: string) {
    typeInto(el.querySelector('textarea.csv'), csv);
  }

  it('lists every bad row of a refused import by row number and column', async () => {
    const fixture = await render();
    const el = fixture.nativeElement as HTMLElement;
    ipam.importPrefixes.and.rejectWith(apiError('BAD_REQUEST', {
      code: 'csv.rowsInvalid',
      params: { count: 2, rows: '2, 4' },
      issues: [
        { path: ['rows', '4', 'cidr'], code: 'input.rule' },
        { path: ['rows', '2', 'unit_code'], code: 'input.invalidValue' },
      ],
    }));
    paste(el, 'vrf,cidr,kind,status,unit_code,plane_id,description\nEGOV,2001:DB8::/32,aggregate,active,,,');
    await settle(fixture);
    await press(fixture, el.querySelector('.run-import'));
    expect(ipam.importPrefixes).toHaveBeenCalledWith('vrf,cidr,kind,status,unit_code,plane_id,description\nEGOV,2001:DB8::/32,aggregate,active,,,');
    const rows = Array.from(el.querySelectorAll('.row-error')).map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => (td.textContent ?? '').trim()));
    expect(rows).toEqual([
      ['2', 'unit_code', '不是允许的取值'],
      ['4', 'cidr', '不符合填写规则'],
    ]);
    expect(el.querySelector('.import-done')).toBeNull();
  });

  it('reports how many prefixes a good file imported', async () => {
    const fixture = await render();
    const el = fixture.nativeElement as HTMLElement;
    ipam.importPrefixes.and.resolveTo({ imported: 5 });
    paste(el, 'vrf,cidr\nX,10.0.0.0/8');
    await settle(fixture);
    await press(fixture, el.querySelector('.run-import'));
    expect(el.querySelector('.import-done')?.textContent).toContain('5');
    expect(el.querySelectorAll('.row-error').length).toBe(0);
  });
});
