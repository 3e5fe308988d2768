import { importRowErrors, sizeText, utilisationStatus } from './ipam-format';

describe('ipam-format', () => {
  it('turns the field problems of a refused import into sorted rows', () => {
    const rule = { code: 'input.rule', issue: true };
    expect(importRowErrors([
      { path: 'rows.10.vrf', problem: rule },
      { path: 'rows.3.cidr', problem: rule },
      { path: 'rows.3.unit_code', problem: rule },
      { path: 'csv', problem: rule },
    ])).toEqual([
      { row: 3, column: 'cidr', problem: rule },
      { row: 3, column: 'unit_code', problem: rule },
      { row: 10, column: 'vrf', problem: rule },
    ]);
  });

  it('shows address counts exactly when small and as powers of two when huge', () => {
    expect(sizeText('254')).toBe('254');
    expect(sizeText('65536')).toBe('65,536');
    expect(sizeText(String(2n ** 64n))).toBe('2^64');
    expect(sizeText(String(2n ** 96n))).toBe('2^96');
    expect(sizeText(String(3n * 2n ** 64n))).toBe('5.53e19');
  });

  it('colours a nearly full prefix red', () => {
    expect([utilisationStatus(0), utilisationStatus(45.5), utilisationStatus(95)]).toEqual(['normal', 'success', 'exception']);
  });
});
