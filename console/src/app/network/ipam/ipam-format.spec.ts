import { importRowErrors, sizeText, utilisationStatus } from './ipam-format';

describe('ipam-format', () => {
  it('turns the server field errors of a refused import into sorted rows', () => {
    expect(importRowErrors({ 'rows.10.vrf': ['unknown VRF "X"'], 'rows.3.cidr': ['has host bits set'], 'rows.3.unit_code': ['unknown unit code 9'], csv: ['other'] })).toEqual([
      { row: 3, column: 'cidr', message: 'has host bits set' },
      { row: 3, column: 'unit_code', message: 'unknown unit code 9' },
      { row: 10, column: 'vrf', message: 'unknown VRF "X"' },
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
