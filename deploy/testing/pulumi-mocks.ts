import * as pulumi from '@pulumi/pulumi';

/**
 * Runs Pulumi programs in-process (no CLI, no cluster): every resource the program declares is recorded
 * with the inputs it was given, as the engine would receive them.
 *
 * A program run without mocks does not fail. Worse, outputs that only echo an input (a replica count, a
 * probe) still resolve; only what the engine gives (ids, URNs) never does. A spec that forgot the mocks
 * could pass vacuously, so `resolved` refuses to read anything before the mocks are installed, and rejects
 * when an output does not resolve in time.
 */
export interface DeclaredResource {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

export const declared: DeclaredResource[] = [];
let installed: Promise<void> | undefined;

export function installPulumiMocks(): Promise<void> {
  installed ??= Promise.resolve(pulumi.runtime.setMocks({
    newResource(args) {
      declared.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown> });
      return { id: `${args.name}-id`, state: args.inputs };
    },
    call(args) {
      return args.inputs;
    },
  }, 'ganyun', 'test', false));
  return installed;
}

/** The value of an output; rejects if it does not resolve within `ms` (mocks missing, or an unknown value). */
export function resolved<T>(output: pulumi.Output<T> | pulumi.Input<T>, ms = 15_000): Promise<T> {
  if (installed === undefined) return Promise.reject(new Error('the Pulumi mocks are not set: call installPulumiMocks() first'));
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`a Pulumi output did not resolve within ${ms} ms: are the Pulumi mocks set (installPulumiMocks)?`)), ms);
    pulumi.output(output).apply((value) => {
      clearTimeout(timer);
      resolve(value as T);
      return value;
    });
  });
}

/** The declared resources of one type (e.g. 'kubernetes:apps/v1:Deployment'). */
export function declaredOf(type: string): DeclaredResource[] {
  return declared.filter((d) => d.type === type);
}
