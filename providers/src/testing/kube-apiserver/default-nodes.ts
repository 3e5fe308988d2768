import type { KubeObject } from './object-store.ts';

/** The nodes a fixture starts with unless told otherwise: two Hygon x86 nodes in az1 and a Kunpeng arm64 node in az2. */
export function defaultNodes(): KubeObject[] {
  const node = (name: string, arch: string, zone: string, vendor: string, cpu: number, memGi: number): KubeObject => ({
    metadata: {
      name,
      labels: { 'kubernetes.io/arch': arch, 'kubernetes.io/os': 'linux', 'topology.kubernetes.io/zone': zone, 'ganyun.gov.cn/cpu-vendor': vendor },
    },
    spec: {},
    status: {
      capacity: { cpu: String(cpu), memory: `${memGi}Gi`, 'ephemeral-storage': '2000Gi', pods: '110' },
      allocatable: { cpu: String(cpu - 1), memory: `${memGi - 2}Gi`, 'ephemeral-storage': '1900Gi', pods: '110' },
      conditions: [{ type: 'Ready', status: 'True' }],
      nodeInfo: { architecture: arch, kubeletVersion: 'v1.30.0' },
    },
  });
  return [
    node('node-x86-1', 'amd64', 'az1', 'hygon', 32, 128),
    node('node-x86-2', 'amd64', 'az1', 'hygon', 32, 128),
    node('node-arm-1', 'arm64', 'az2', 'kunpeng', 64, 256),
  ];
}
