import * as pulumi from '@pulumi/pulumi';
import { deployGanyun } from './ganyun.ts';
import { readStackConfig } from './stack-config.ts';

/**
 * The Pulumi program (Pulumi.yaml: main). The whole stack configuration is checked first: a bad one
 * fails with one line per problem before any resource is declared. Raw values are read through the
 * runtime (secrets included, to check them) and wrapped again as secrets where they are used.
 */
const config = readStackConfig((key) => pulumi.runtime.getConfig(`ganyun:${key}`));
const app = deployGanyun(config);

export const namespace = app.namespace.metadata.name;
export const deployment = app.deployment.metadata.name;
export const replicas = app.deployment.spec.replicas;
export const image = config.image;
export const service = app.service.metadata.name;
export const serviceIpFamilies = app.service.spec.ipFamilies;
export const databaseMode = config.database.mode;
export const dashboard = app.dashboard?.metadata.name;
