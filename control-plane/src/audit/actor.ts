/** Who asked for a change, as an audit record names them; written into the records a group commit appends for its callers. */
export interface AuditActor {
  actorId: string | null;
  actor: string;
  role: string | null;
  requestId: string;
  /** The tRPC path of the call (e.g. `quotas.reserve`), from the request context: never hard-coded. */
  procedure: string;
}

/** The audit actor of a procedure call: the signed-in caller, the request id and the procedure path the edge middleware put in the context. */
export function auditActorOf(ctx: { caller: { userId: string; username: string; roles: readonly string[] }; requestId: string; procedure: string }): AuditActor {
  return { actorId: ctx.caller.userId, actor: ctx.caller.username, role: ctx.caller.roles.join(','), requestId: ctx.requestId, procedure: ctx.procedure };
}
