/**
 * The Pulumi policy pack (`pulumi preview --policy-pack policies/pulumi-pack`, config `registry`): the Kubernetes
 * rules of `src/kubernetes/`, one per file and unit-tested there. Only this file constructs the PolicyPack,
 * because constructing it starts the policy gRPC server the Pulumi engine talks to.
 */
import { PolicyPack } from '@pulumi/policy';
import { KUBERNETES_POLICIES } from '../src/kubernetes/index.ts';

new PolicyPack('ganyun', { policies: KUBERNETES_POLICIES });
