/** Console texts for this feature: Extranet units, planes, links, coverage, readiness, access checks. Chinese first; English typed against its keys. */
export const networkZh = {
  'network.title': '政务外网',
};

export const networkEn: Record<keyof typeof networkZh, string> = {
  'network.title': 'Government extranet',
};
