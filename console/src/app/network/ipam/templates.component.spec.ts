import { TestBed } from '@angular/core/testing';
import { apiError, press, settle, typeInto, signIn, setUpConsoleSpec } from '../../../testing/test-helpers';
import { IpamApiService } from './ipam-api.service';
import type { Template } from './ipam-types';
import { TemplatesComponent } from './templates.component';

const P4 = '11111111-1111-4111-8111-111111111111';
const P6 = '22222222-2222-4222-8222-222222222222';
const tpl: Template = { id: 't1', unitLevel: 'township', planeId: 'plane-1', ipv4ParentId: P4, ipv4Length: 29, ipv6ParentId: P6, ipv6Length: 64, strategy: 'first-fit' };

describe('TemplatesComponent', () => {
  it('lists the templates and saves one, showing a refused parent beside its field', async () => {
    const ipam = jasmine.createSpyObj<IpamApiService>('IpamApiService', ['templates', 'setTemplate']);
    ipam.templates.and.resolveTo({ items: [tpl] });
    setUpConsoleSpec({ providers: [{ provide: IpamApiService, useValue: ipam }] });
    signIn({ roles: ['network-engineer'] });
    const fixture = TestBed.createComponent(TemplatesComponent);
    fixture.detectChanges();
    await settle(fixture);
    const el = fixture.nativeElement as HTMLElement;
    const cells = Array.from(el.querySelectorAll('.template-row td')).map((td) => (td.textContent ?? '').trim());
    expect(cells).toEqual(['乡镇', 'plane-1', '/29', '/64', '首次适配（从低地址起）']);
    ipam.setTemplate.and.rejectWith(apiError('BAD_REQUEST', { code: 'input.rejected', path: ['ipv6ParentId'] }));
    typeInto(el.querySelector('[data-field="ipv4ParentId"] input'), P4);
    typeInto(el.querySelector('[data-field="ipv6ParentId"] input'), P4);
    await press(fixture, el.querySelector('.template-save'));
    expect(ipam.setTemplate).toHaveBeenCalledWith({ unitLevel: 'township', planeId: 'plane-1', ipv4ParentId: P4, ipv4Length: 29, ipv6ParentId: P4, ipv6Length: 64, strategy: 'first-fit' });
    expect((el.querySelector('[data-field="ipv6ParentId"] .ant-form-item-explain')?.textContent ?? '').trim()).toBe('输入的值不被接受，请检查后重试');
  });
});
