import { compliantInput } from '../testing/policy-fixtures.ts';
import { describePolicy } from '../spec-support.ts';
import type { PolicyInput } from '../types.ts';
import { routeOverQuotaToApproval } from './route-over-quota.ts';

const over = (): PolicyInput => ({
  ...compliantInput(),
  quota: { fits: false, needsApproval: false, shortfalls: [{ level: 'system', ref: 's1', cloudId: 'nanchang', resourceClass: 'vcpu', limit: 8, used: 6, requested: 4, kind: 'hard' }] },
});

describePolicy(routeOverQuotaToApproval, [
  { why: 'within quota', input: compliantInput, outcome: 'pass' },
  { why: 'no resources asked for (onboarding)', input: () => ({ ...compliantInput(), quota: undefined }), outcome: 'not-applicable' },
  { why: 'inside the soft band: fits, approval decides', input: () => ({ ...compliantInput(), quota: { fits: true, needsApproval: true, shortfalls: [] } }), outcome: 'pass' },
  { why: 'beyond the hard limit, made mandatory: refused', input: over, outcome: 'deny' },
]);

describe('route-over-quota-to-approval at its default level', () => {
  it('turns a request beyond quota into a quota-increase request, naming the shortfall', () => {
    const p = routeOverQuotaToApproval();
    expect(p.enforcement).toBe('advisory');
    const message = p.check(over()).message;
    expect(message.en).toContain('vCPU@nanchang 6+4>8');
    expect(message.zh).toContain('vCPU@nanchang 6+4>8');
    // Shown to people: levels in words, never the quota node's id.
    expect(message.zh).not.toMatch(/system|[0-9a-f]{8}-/);
  });

  it('says plainly when no quota is set at all', () => {
    const none: PolicyInput = { ...compliantInput(), quota: { fits: false, needsApproval: false, shortfalls: [] } };
    expect(routeOverQuotaToApproval().check(none).message.en).toBe('beyond quota: no quota is set for these resources yet');
  });
});
