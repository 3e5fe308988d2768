/** The Kubernetes rules of the Pulumi policy pack, one per file; `pulumi-pack/index.ts` serves them. */
import { dualStackServices } from './dual-stack-services.ts';
import { imagesFromRegistry } from './images-from-registry.ts';
import { limitsSet } from './limits-set.ts';
import { noPlaintextSecrets } from './no-plaintext-secrets.ts';
import { readOnlyRootFs } from './read-only-root-fs.ts';
import { replicasAtLeastTwo } from './replicas-at-least-two.ts';
import { requiredLabels } from './required-labels.ts';

export const KUBERNETES_POLICIES = [replicasAtLeastTwo, limitsSet, noPlaintextSecrets, imagesFromRegistry, dualStackServices, requiredLabels, readOnlyRootFs];
