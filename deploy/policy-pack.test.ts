import type { ResourceValidationArgs } from '@pulumi/policy';
import { KUBERNETES_POLICIES } from '../policies/src/kubernetes/index.ts';
import { containersOf } from '../policies/src/kubernetes/k8s-rule.ts';
import { deployGanyun } from './ganyun.ts';
import { readStackConfig } from './stack-config.ts';
import { declared, installPulumiMocks, resolved } from './testing/pulumi-mocks.ts';
import { exampleStack, reader } from './testing/stacks.ts';

/**
 * The policy pack against what the program really declares: each example stack, run under Pulumi's mocks,
 * is judged by every rule of policies/src/kubernetes/ as the engine would judge it (the pack's registry config
 * taken from the stack). A rule the program breaks fails here before any preview against a cluster.
 */
describe('the Pulumi program passes the policy pack (under mocks)', () => {
  beforeAll(installPulumiMocks);

  for (const stack of ['province', 'city'] as const) {
    it(`${stack} stack: every declared Kubernetes object, no violation`, async () => {
      const before = declared.length;
      const config = readStackConfig(reader(exampleStack(stack)));
      const app = deployGanyun(config);
      await resolved(app.deployment.id); // every resource registered with the mock engine
      await resolved(app.service.id);
      const mine = declared.slice(before).filter((d) => d.type.startsWith('kubernetes:'));
      const deployment = mine.find((d) => d.type === 'kubernetes:apps/v1:Deployment')!;
      // Not vacuous: the rules see the containers and the Service as declared.
      expect(containersOf({ type: deployment.type, props: deployment.inputs }).map((c) => c.image)).toEqual([config.image]);
      expect(mine.filter((d) => d.type === 'kubernetes:core/v1:Service').length).toBeGreaterThan(0);
      const violations: string[] = [];
      for (const d of mine) {
        const args = {
          type: d.type, name: d.name, props: d.inputs, urn: `urn:pulumi:${stack}::ganyun::${d.type}::${d.name}`, opts: {},
          getConfig: () => ({ registry: config.registry }), isType: () => false, asType: () => undefined, notApplicable: () => undefined,
        } as unknown as ResourceValidationArgs;
        for (const policy of KUBERNETES_POLICIES) {
          for (const validate of [policy.validateResource ?? []].flat()) await validate(args, (m) => violations.push(`${policy.name}: ${m}`));
        }
      }
      expect(violations).toEqual([]);
    });
  }
});
