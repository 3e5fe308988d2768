/** Console texts for this feature: Quota tree, ledger, my quota (quotas capability). Chinese first; English typed against its keys. */
export const quotasZh = {
  'quotas.title': '配额',
};

export const quotasEn: Record<keyof typeof quotasZh, string> = {
  'quotas.title': 'Quotas',
};
