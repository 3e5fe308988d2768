import { TestBed } from '@angular/core/testing';
import { I18nService } from '../core/i18n/i18n.service';
import { setUpConsoleSpec } from '../../testing/test-helpers';
import { resourceClassKey } from './resource-class';

describe('resourceClassKey', () => {
  beforeEach(() => {
    setUpConsoleSpec();
  });

  it('names quota classes, request kinds and inventory kinds in both languages, never as their codes', () => {
    const i18n = TestBed.inject(I18nService);
    const codes = ['vcpu', 'memoryGiB', 'storageGiB', 'gpu', 'ipv4Addresses', 'ipv6Prefixes64', 'host', 'volume', 'workload', 'segment', 'vm', 'network-segment', 'tenant-space'];
    for (const lang of ['zh-CN', 'en'] as const) {
      i18n.setLang(lang);
      for (const code of codes) {
        expect(i18n.has(resourceClassKey(code))).withContext(`${lang} ${code}`).toBeTrue();
      }
    }
    i18n.setLang('zh-CN');
    expect(codes.map((c) => i18n.t(resourceClassKey(c)))).toEqual(
      ['vCPU', '内存 (GiB)', '存储 (GiB)', 'GPU', 'IPv4 地址', 'IPv6 /64 前缀', '云主机', '数据盘', '容器', '网段', '云主机', '网段', '租户空间'],
    );
    expect(resourceClassKey('something-new')).toBe('something-new');
  });
});
