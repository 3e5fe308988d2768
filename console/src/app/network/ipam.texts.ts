/** Console texts for this feature: IPAM: VRFs, prefixes, addresses, allocation, CSV import (files under network/ipam/). Chinese first; English typed against its keys. */
export const ipamZh = {
  'ipam.title': '地址管理',
};

export const ipamEn: Record<keyof typeof ipamZh, string> = {
  'ipam.title': 'IP address management',
};
