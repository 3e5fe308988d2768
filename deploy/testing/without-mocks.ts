/**
 * The program WITHOUT Pulumi's mocks (and without the CLI), for the spec that proves the guard: prints
 * what a raw read gets of the replica count (an input: it resolves even so) and of the id (only an engine,
 * or the mocks, give one), and what the specs' `resolved` helper does, then exits.
 */
import { deployGanyun } from '../ganyun.ts';
import { readStackConfig } from '../stack-config.ts';
import * as pulumi from '@pulumi/pulumi';
import { resolved } from './pulumi-mocks.ts';
import { exampleStack, reader } from './stacks.ts';

const app = deployGanyun(readStackConfig(reader(exampleStack('city'))));
const within = (output: pulumi.Output<unknown>, ms: number) => new Promise((resolve) => {
  const timer = setTimeout(() => resolve('never resolved'), ms);
  output.apply((v) => (clearTimeout(timer), resolve(v)));
});
// Read raw, as a careless spec would: the input echoes, the id never comes.
process.stdout.write(`raw replicas: ${JSON.stringify(await within(app.deployment.spec.replicas, 3000))}\n`);
process.stdout.write(`raw id: ${JSON.stringify(await within(app.deployment.id, 3000))}\n`);
// Through the specs' helper.
await resolved(app.deployment.spec.replicas).then((v) => process.stdout.write(`helper: resolved ${v}\n`), (e: Error) => process.stdout.write(`helper: rejected: ${e.message}\n`));
process.exit(0);
