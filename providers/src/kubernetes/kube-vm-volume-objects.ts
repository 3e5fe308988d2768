/**
 * Ganyun specs ↔ the cluster's objects for the kinds beside workloads: a `volume` is a PersistentVolumeClaim,
 * a `vm` is a KubeVirt `VirtualMachine` (kubevirt.io/v1) whose system disk is a DataVolume template imported
 * from the image. Pure functions, no I/O.
 */
import type { V1PersistentVolumeClaim } from '@kubernetes/client-node';
import type { Quota, Resource, ResourceSpec, ResourceState } from '../spi.ts';
import { archFromKube, archToKube, iso, kubeLabels, LABEL, parseSpec, quantity, stampMeta, ANN, type MutationStamp } from './kube-objects.ts';

const GI = 2 ** 30;
export const KUBEVIRT = { group: 'kubevirt.io', version: 'v1', plural: 'virtualmachines' } as const;

/** A KubeVirt VirtualMachine as far as Ganyun reads and writes it. */
export interface VirtualMachineObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; uid?: string; resourceVersion?: string; creationTimestamp?: string | Date; deletionTimestamp?: string | Date; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: {
    runStrategy?: string;
    dataVolumeTemplates?: { metadata?: { name?: string }; spec?: { storage?: { resources?: { requests?: Record<string, string> } }; source?: { registry?: { url?: string } } } }[];
    template?: {
      metadata?: { labels?: Record<string, string> };
      spec?: {
        domain?: { cpu?: { cores?: number }; resources?: { requests?: Record<string, string> }; devices?: { disks?: { name: string; disk: { bus: string } }[] } };
        nodeSelector?: Record<string, string>;
        volumes?: { name: string; dataVolume?: { name: string } }[];
      };
    };
  };
  status?: { ready?: boolean; printableStatus?: string };
}

function meta(spec: ResourceSpec, stamp: MutationStamp) {
  const m = stampMeta(stamp, spec);
  return { name: spec.name, namespace: spec.tenant, labels: { ...kubeLabels(spec.labels), ...m.labels, [LABEL.tenant]: spec.tenant }, annotations: m.annotations };
}

// ---------------------------------------------------------------- volumes

export function claimFor(spec: ResourceSpec, stamp: MutationStamp, storageClass?: string): V1PersistentVolumeClaim {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: meta(spec, stamp),
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: `${spec.size.storageGiB ?? 0}Gi` } },
      ...(storageClass !== undefined ? { storageClassName: storageClass } : {}),
    },
  };
}

export function resourceFromClaim(c: V1PersistentVolumeClaim): Resource {
  const stated = parseSpec<ResourceSpec>(c.metadata?.annotations?.[ANN.spec]);
  const storageGiB = quantity(c.spec?.resources?.requests?.['storage']) / GI;
  const state: ResourceState = c.metadata?.deletionTimestamp !== undefined ? 'deleting' : c.status?.phase === 'Bound' ? 'running' : c.status?.phase === 'Lost' ? 'failed' : 'pending';
  return {
    id: c.metadata?.uid ?? '',
    spec: { ...stated, tenant: c.metadata?.namespace ?? '', kind: 'volume', name: c.metadata?.name ?? '', size: { ...stated?.size, storageGiB } },
    state,
    zone: stated?.zone ?? 'default',
    createdAt: iso(c.metadata?.creationTimestamp),
    updatedAt: c.metadata?.annotations?.[ANN.updatedAt] ?? iso(c.metadata?.creationTimestamp),
  };
}

// ---------------------------------------------------------------- hosts (KubeVirt)

const rootDisk = (name: string) => `${name}-root`;

export function virtualMachineFor(spec: ResourceSpec, stamp: MutationStamp): VirtualMachineObject {
  const m = meta(spec, stamp);
  const nodeSelector: Record<string, string> = { 'kubernetes.io/arch': archToKube(spec.arch ?? 'x86_64') };
  if (spec.zone !== undefined) nodeSelector['topology.kubernetes.io/zone'] = spec.zone;
  return {
    apiVersion: `${KUBEVIRT.group}/${KUBEVIRT.version}`,
    kind: 'VirtualMachine',
    metadata: m,
    spec: {
      runStrategy: 'Always',
      dataVolumeTemplates: [{
        metadata: { name: rootDisk(spec.name) },
        spec: { storage: { resources: { requests: { storage: `${spec.size.storageGiB ?? 40}Gi` } } }, source: { registry: { url: `docker://${spec.image ?? ''}` } } },
      }],
      template: {
        metadata: { labels: { ...kubeLabels(spec.labels), [LABEL.tenant]: spec.tenant } },
        spec: {
          domain: {
            cpu: { cores: spec.size.vcpu ?? 1 },
            resources: { requests: { cpu: String(spec.size.vcpu ?? 1), memory: `${spec.size.memoryGiB ?? 1}Gi` } },
            devices: { disks: [{ name: 'root', disk: { bus: 'virtio' } }] },
          },
          nodeSelector,
          volumes: [{ name: 'root', dataVolume: { name: rootDisk(spec.name) } }],
        },
      },
    },
  };
}

export function resourceFromVm(vm: VirtualMachineObject): Resource {
  const stated = parseSpec<ResourceSpec>(vm.metadata?.annotations?.[ANN.spec]);
  const pod = vm.spec?.template?.spec;
  const req = pod?.domain?.resources?.requests ?? {};
  const disk = vm.spec?.dataVolumeTemplates?.[0]?.spec;
  const arch = archFromKube(pod?.nodeSelector?.['kubernetes.io/arch']);
  const zone = pod?.nodeSelector?.['topology.kubernetes.io/zone'];
  const image = disk?.source?.registry?.url?.replace(/^docker:\/\//, '');
  const state: ResourceState = vm.metadata?.deletionTimestamp !== undefined ? 'deleting' : vm.status?.ready === true ? 'running' : vm.status?.printableStatus === 'ErrorUnschedulable' ? 'failed' : 'pending';
  return {
    id: vm.metadata?.uid ?? '',
    spec: {
      ...stated,
      tenant: vm.metadata?.namespace ?? '',
      kind: 'vm',
      name: vm.metadata?.name ?? '',
      ...(image !== undefined ? { image } : {}),
      ...(arch !== undefined ? { arch } : {}),
      ...(zone !== undefined ? { zone } : {}),
      size: { ...stated?.size, vcpu: quantity(req['cpu']), memoryGiB: quantity(req['memory']) / GI, storageGiB: quantity(disk?.storage?.resources?.requests?.['storage']) / GI },
    },
    state,
    zone: zone ?? 'default',
    ...(stated?.vendor !== undefined ? { vendor: stated.vendor } : {}),
    createdAt: iso(vm.metadata?.creationTimestamp),
    updatedAt: vm.metadata?.annotations?.[ANN.updatedAt] ?? iso(vm.metadata?.creationTimestamp),
  };
}

/** What a claim or a machine holds against the namespace's quota. */
export function claimDemand(c: V1PersistentVolumeClaim): Quota {
  return { vcpu: 0, memoryGiB: 0, storageGiB: quantity(c.spec?.resources?.requests?.['storage']) / GI, gpu: 0 };
}
export function vmDemand(vm: VirtualMachineObject): Quota {
  const s = resourceFromVm(vm).spec.size;
  return { vcpu: s.vcpu ?? 0, memoryGiB: s.memoryGiB ?? 0, storageGiB: s.storageGiB ?? 0, gpu: 0 };
}
