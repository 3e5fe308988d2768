import { sample } from './device-emulator.ts';
import { parseComwareInterfaceBrief, parseComwareIpv6InterfaceBrief, parseComwareVpnInstances } from './device-parsers/comware.ts';
import { rejection } from './device-parsers/common.ts';
import { parseVrpInterfaceBrief, parseVrpIpv6InterfaceBrief, parseVrpVpnInstances } from './device-parsers/vrp.ts';
import { parseIpAddr, parseIpRoute, parseLscpu, parseMeminfo, parseOsRelease } from './linux-facts.ts';
import { ParseError } from './parse-errors.ts';
import { parseComwarePing, parseLinuxPing, parseVrpPing } from './probe.ts';

describe('SSH output parsers (against samples written from the vendors\' documented formats)', () => {
  describe('ping summaries', () => {
    const cases: { why: string; file: string; parse: typeof parseLinuxPing; target: string; family: 4 | 6; expected: object }[] = [
      { why: 'iputils IPv4, all replies', file: 'linux-ping-ipv4.txt', parse: parseLinuxPing, target: '127.0.0.1', family: 4, expected: { transmitted: 2, received: 2, lossPercent: 0, rttMs: { min: 0.031, avg: 0.045, max: 0.059 }, reachable: true } },
      { why: 'iputils IPv6 with +errors and pipe suffix', file: 'linux-ping-ipv6-loss.txt', parse: parseLinuxPing, target: '2001:db8::9', family: 6, expected: { transmitted: 4, received: 1, lossPercent: 75, reachable: true } },
      { why: 'busybox wording ("packets received", round-trip)', file: 'linux-ping-busybox.txt', parse: parseLinuxPing, target: '10.0.0.1', family: 4, expected: { transmitted: 3, received: 3, rttMs: { min: 0.101, avg: 0.18, max: 0.25 } } },
      { why: 'no reply is a result, not an error, and has no rtt', file: 'linux-ping-none.txt', parse: parseLinuxPing, target: '10.0.0.9', family: 4, expected: { received: 0, lossPercent: 100, reachable: false } },
      { why: 'VRP one-count-per-line block, one timeout', file: 'vrp-ping-vpn-instance.txt', parse: parseVrpPing, target: '10.36.1.2', family: 4, expected: { transmitted: 5, received: 4, lossPercent: 20, rttMs: { min: 1, avg: 1, max: 3 } } },
      { why: 'VRP IPv6 ping', file: 'vrp-ping-ipv6.txt', parse: parseVrpPing, target: '2001:db8:10::2', family: 6, expected: { transmitted: 3, received: 3, lossPercent: 0 } },
      { why: 'VRP unreachable: no round-trip line', file: 'vrp-ping-unreachable.txt', parse: parseVrpPing, target: '10.36.9.9', family: 4, expected: { received: 0, lossPercent: 100, reachable: false } },
      { why: 'Comware ping in a VPN instance', file: 'comware-ping-vpn-instance.txt', parse: parseComwarePing, target: '10.36.1.2', family: 4, expected: { transmitted: 5, received: 5, rttMs: { min: 1.849, avg: 2.059, max: 2.137 } } },
      { why: 'Comware Ping6 with a decimal loss', file: 'comware-ping-ipv6.txt', parse: parseComwarePing, target: '2001:db8:a::1', family: 6, expected: { transmitted: 3, received: 2, lossPercent: 33.3 } },
    ];
    for (const c of cases) {
      it(`parses ${c.file}: ${c.why}`, () => {
        const r = c.parse(sample(c.file), { target: c.target, family: c.family });
        expect(r).toEqual(jasmine.objectContaining({ target: c.target, family: c.family, ...c.expected }));
        if (!r.reachable) expect(r.rttMs).toBeUndefined();
      });
    }

    const broken: { why: string; parse: typeof parseLinuxPing; text: string }[] = [
      { why: 'reply lines without the statistics block (cut answer)', parse: parseLinuxPing, text: 'PING 1.1.1.1 (1.1.1.1) 56(84) bytes of data.\n64 bytes from 1.1.1.1: icmp_seq=1\n' },
      { why: 'replies counted but the rtt line is cut', parse: parseLinuxPing, text: sample('linux-ping-ipv4.txt').split('rtt')[0] ?? '' },
      { why: 'VRP block cut after "transmitted"', parse: parseVrpPing, text: sample('vrp-ping-vpn-instance.txt').split('received')[0] ?? '' },
      { why: 'Comware block with the counts line missing', parse: parseComwarePing, text: '--- Ping statistics for 1.1.1.1 ---\n' },
      { why: 'received more than transmitted is impossible', parse: parseLinuxPing, text: '1 packets transmitted, 2 received, 0% packet loss\nrtt min/avg/max/mdev = 1/1/1/0 ms\n' },
    ];
    for (const c of broken) {
      it(`refuses ${c.why}`, () => {
        expect(() => c.parse(c.text, { target: '1.1.1.1', family: 4 })).toThrowError(ParseError);
      });
    }
  });

  describe('Huawei VRP', () => {
    it('display interface brief: states, spoofing, utilisation and errors (trunk members indented)', () => {
      const rows = parseVrpInterfaceBrief(sample('vrp-display-interface-brief.txt'));
      expect(rows.length).toBe(9);
      const by = new Map(rows.map((r) => [r.name, r]));
      expect(by.get('GigabitEthernet0/0/3')?.physical).toBe('up'); // indented Eth-Trunk member
      expect(by.get('GigabitEthernet0/0/2')).toEqual(jasmine.objectContaining({ physical: 'admin-down', protocol: 'down' }));
      expect(by.get('GigabitEthernet0/0/4')?.physical).toBe('standby');
      expect(by.get('LoopBack0')).toEqual(jasmine.objectContaining({ protocol: 'up', spoofing: true }));
      expect(by.get('GigabitEthernet0/0/1')).toEqual(jasmine.objectContaining({ inUtilPercent: 0.01, outUtilPercent: 0.02 }));
      expect(by.get('MEth0/0/1')).toEqual(jasmine.objectContaining({ inErrors: 12, outErrors: 3 }));
      expect(by.get('Vlanif10')?.inUtilPercent).toBeUndefined(); // "--"
    });

    it('display ipv6 interface brief: several addresses per interface, Unassigned is none', () => {
      const rows = parseVrpIpv6InterfaceBrief(sample('vrp-display-ipv6-interface-brief.txt'));
      expect(rows.map((r) => r.name)).toEqual(['GigabitEthernet0/0/1', 'GigabitEthernet0/0/2', 'LoopBack0', 'Vlanif10']);
      expect(rows[1]).toEqual({ name: 'GigabitEthernet0/0/2', physical: 'admin-down', protocol: 'down', addresses: [] });
      expect(rows[3]?.addresses).toEqual(['2001:db8:a::1', 'fd00:36::1']);
    });

    it('display ip vpn-instance: RD optional, address families, total checked', () => {
      expect(parseVrpVpnInstances(sample('vrp-display-ip-vpn-instance.txt'))).toEqual([
        { name: 'zwww', rd: '65001:100', addressFamilies: ['ipv4', 'ipv6'] },
        { name: 'zwyw', rd: '65001:200', addressFamilies: ['ipv4', 'ipv6'] },
        { name: 'mgmt', addressFamilies: ['ipv4'] },
      ]);
    });
  });

  describe('H3C Comware', () => {
    it('display interface brief: route and bridge sections, descriptions with spaces', () => {
      const rows = parseComwareInterfaceBrief(sample('comware-display-interface-brief.txt'));
      expect(rows.length).toBe(9);
      const by = new Map(rows.map((r) => [r.name, r]));
      expect(by.get('Loop0')).toEqual(jasmine.objectContaining({ spoofing: true, primaryIpv4: '10.255.0.1', description: 'router-id' }));
      expect(by.get('Vlan10')?.description).toBe('zwww access segment');
      expect(by.get('Vlan20')?.physical).toBe('admin-down');
      expect(by.get('Vlan30')?.physical).toBe('standby');
      expect(by.get('GE1/0/1')).toEqual(jasmine.objectContaining({ physical: 'up', protocol: 'up', description: 'uplink to core' }));
      expect(by.get('GE1/0/2')?.physical).toBe('down');
    });

    it('display ipv6 interface brief: one address column, Unassigned is none', () => {
      const rows = parseComwareIpv6InterfaceBrief(sample('comware-display-ipv6-interface-brief.txt'));
      expect(rows.length).toBe(4);
      expect(rows[1]).toEqual({ name: 'Vlan-interface10', physical: 'up', protocol: 'up', addresses: ['2001:db8:a::2'] });
      expect(rows[2]?.addresses).toEqual([]);
    });

    it('display ip vpn-instance: RD optional, create time kept', () => {
      expect(parseComwareVpnInstances(sample('comware-display-ip-vpn-instance.txt'))).toEqual([
        { name: 'zwww', rd: '65001:100', createdAt: '2024/03/18 10:48:17' },
        { name: 'mgmt', createdAt: '2024/03/18 10:50:02' },
      ]);
    });
  });

  describe('refusals and cut tables', () => {
    const cases: { why: string; run: () => unknown }[] = [
      { why: 'VRP interface table cut mid-row', run: () => parseVrpInterfaceBrief(sample('vrp-display-interface-brief.txt').slice(0, -30)) },
      { why: 'VRP VPN table with fewer rows than the declared total', run: () => parseVrpVpnInstances(sample('vrp-display-ip-vpn-instance.txt').split('\n').slice(0, -2).join('\n')) },
      { why: 'Comware VPN table with fewer rows than the declared total', run: () => parseComwareVpnInstances(sample('comware-display-ip-vpn-instance.txt').split('\n').slice(0, -2).join('\n')) },
      { why: 'Comware IPv6 row with a non-address', run: () => parseComwareIpv6InterfaceBrief('Interface  Physical Protocol IPv6 Address\nVlan1 up up 2001:zz::1\n') },
      { why: 'output with no header at all (a login banner, a pager prompt)', run: () => parseComwareInterfaceBrief('  ---- More ----') },
      { why: 'an unknown link-state word', run: () => parseVrpIpv6InterfaceBrief('Interface Physical Protocol\nGE0/0/1 sideways up\n') },
    ];
    for (const c of cases) {
      it(`refuses ${c.why}`, () => expect(c.run).toThrowError(ParseError));
    }

    it('recognises both vendors\' "unrecognized command" answers', () => {
      expect(rejection(sample('vrp-error-unrecognized.txt'))).toMatch(/^Unrecognized command/);
      expect(rejection(sample('comware-error-unrecognized.txt'))).toMatch(/^Unrecognized command/);
      expect(rejection(sample('vrp-display-interface-brief.txt'))).toBeUndefined();
    });
  });

  describe('Linux facts', () => {
    const osCases: { why: string; file: string; expected: object }[] = [
      { why: 'Kylin V10: quoted ID, domestic', file: 'os-release-kylin-v10.txt', expected: { id: 'kylin', versionId: 'V10', xinchuang: true } },
      { why: 'UOS 20: unquoted ID, domestic', file: 'os-release-uos-20.txt', expected: { id: 'uos', versionId: '20', prettyName: 'UnionTech OS Server 20', xinchuang: true } },
    ];
    for (const c of osCases) {
      it(`parses ${c.file}: ${c.why}`, () => expect(parseOsRelease(sample(c.file))).toEqual(jasmine.objectContaining(c.expected)));
    }

    it('lscpu: Kunpeng (HiSilicon) and Hygon map to Ganyun vendors', () => {
      expect(parseLscpu(sample('lscpu-kunpeng-920.txt'), 96)).toEqual({ count: 96, model: 'Kunpeng-920', vendor: 'kunpeng' });
      expect(parseLscpu(sample('lscpu-hygon.txt'), 64)).toEqual(jasmine.objectContaining({ vendor: 'hygon' }));
    });

    it('meminfo in bytes; ip -j addr and route', () => {
      expect(parseMeminfo(sample('meminfo.txt'))).toEqual({ totalBytes: 263578836 * 1024, availableBytes: 240112344 * 1024 });
      const ifs = parseIpAddr(sample('ip-addr.json'));
      expect(ifs[1]).toEqual(jasmine.objectContaining({ name: 'enp125s0f0', up: true, mac: 'a0:36:9f:11:22:33' }));
      expect(ifs[1]?.ipv6.map((a) => a.address)).toEqual(['2001:db8:a::21', 'fe80::a236:9fff:fe11:2233']);
      expect(ifs[2]?.up).toBe(false);
      expect(parseIpRoute(sample('ip-route-6.json'), 6)[1]).toEqual({ family: 6, dst: 'default', gateway: '2001:db8:a::1', dev: 'enp125s0f0', metric: 1024 });
    });

    it('refuses truncated JSON from ip -j', () => {
      expect(() => parseIpAddr(sample('ip-addr.json').slice(0, 200))).toThrowError(ParseError);
    });
  });
});
