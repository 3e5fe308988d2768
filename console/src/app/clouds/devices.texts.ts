/** Console texts for this feature: Kubernetes clusters and SSH-managed hosts and devices: registration, host keys, facts, probes. Chinese first; English typed against its keys. */
export const devicesZh = {
  'devices.title': '集群与设备',
};

export const devicesEn: Record<keyof typeof devicesZh, string> = {
  'devices.title': 'Clusters and devices',
};
