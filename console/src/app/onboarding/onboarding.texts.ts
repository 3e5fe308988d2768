/** Console texts for this feature: Business systems, onboarding wizard, requests, approvals, policy catalogue. Chinese first; English typed against its keys. */
export const onboardingZh = {
  'onboarding.title': '统一接入',
};

export const onboardingEn: Record<keyof typeof onboardingZh, string> = {
  'onboarding.title': 'Onboarding',
};
