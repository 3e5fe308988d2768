import { TestBed } from '@angular/core/testing';
import { apiError, press, settle, typeInto, setUpConsoleSpec } from '../../../testing/test-helpers';
import { IpamApiService } from './ipam-api.service';
import { UnitPairComponent } from './unit-pair.component';

describe('UnitPairComponent', () => {
  it('asks for a unit pair, shows it, and puts an unknown unit code beside its field', async () => {
    const ipam = jasmine.createSpyObj<IpamApiService>('IpamApiService', ['allocatePair']);
    setUpConsoleSpec({ providers: [{ provide: IpamApiService, useValue: ipam }] });
    const fixture = TestBed.createComponent(UnitPairComponent);
    fixture.detectChanges();
    await settle(fixture);
    const el = fixture.nativeElement as HTMLElement;
    ipam.allocatePair.and.rejectWith(apiError('NOT_FOUND', { code: 'notFound', path: ['unitCode'] }));
    typeInto(el.querySelector('[data-field="unitCode"] input'), '369999');
    await press(fixture, el.querySelector('.pair-submit'));
    expect(ipam.allocatePair).toHaveBeenCalledWith('369999', 'plane-1');
    expect((el.querySelector('[data-field="unitCode"] .ant-form-item-explain')?.textContent ?? '').trim()).toBe('对象不存在，或不在您的权限范围内');
    ipam.allocatePair.and.resolveTo({ ipv4: { cidr: '10.36.0.0/30' }, ipv6: { cidr: '2001:db8::/64' }, replayed: true } as never);
    typeInto(el.querySelector('[data-field="unitCode"] input'), '360102001');
    await press(fixture, el.querySelector('.pair-submit'));
    expect(el.querySelector('.pair-result')?.textContent).toContain('10.36.0.0/30  ·  2001:db8::/64');
    expect(el.querySelector('.pair-result')?.textContent).toContain('该单位在此平面已有地址');
  });
});
