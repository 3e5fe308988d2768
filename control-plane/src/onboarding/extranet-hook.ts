/**
 * The extranet step of onboarding, left as a clean seam for the extranet capability.
 *
 * Once the extranet inventory exists, onboarding should give the newly placed system its addresses on
 * both extranet planes (政务外网 dual-plane). The onboarding workflow already has the step
 * (`onboarding.extranetAddresses`, after the quota is set, before done): it calls `assign` with the
 * system and the cloud it was placed on and records what comes back as the step's output; if a later
 * step fails, the workflow calls `release` with that output to undo it. Both must be idempotent under
 * `idempotencyKey` (a step may run again after a crash).
 *
 * Filled by the extranet capability: app.ts passes `extranetAddressHook(store)` (extranet/system-addresses.ts)
 * to `registerOnboardingActions(..., { extranet })`. Without a hook (specs of onboarding alone) the step
 * assigns nothing and says so in its output (`skipped: 'no extranet inventory yet'`).
 */
export interface ExtranetAssignInput {
  systemId: string;
  departmentId: string;
  cloudId: string;
  idempotencyKey: string;
}

export interface ExtranetAssignment {
  /** One address (or prefix) per plane assigned to the system; empty when nothing was assigned. */
  addresses: { plane: string; address: string }[];
  /** Why nothing was assigned, when nothing was. */
  skipped?: string;
}

export interface ExtranetAddressHook {
  assign(input: ExtranetAssignInput): Promise<ExtranetAssignment>;
  release(input: ExtranetAssignInput, assignment: ExtranetAssignment): Promise<void>;
}

/** The hook in force until the extranet capability provides one: assigns nothing, releases nothing. */
export const noExtranetAddresses: ExtranetAddressHook = {
  async assign() {
    return { addresses: [], skipped: 'no extranet inventory yet' };
  },
  async release() {},
};
