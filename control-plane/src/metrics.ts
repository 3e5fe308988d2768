import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Metrics on an injected registry (never the global one), so tests and several app instances in one
 * process do not collide. Names carry their unit; durations are recorded in `finally` so failures count too.
 */
export function createMetrics(registry = new Registry()) {
  let queueDepthSource: (() => Promise<number>) | undefined;
  const apiChildren = new Map<string, { requests: { inc(): void }; duration: { observe(v: number): void } }>();
  collectDefaultMetrics({ register: registry, prefix: 'ganyun_process_' });
  return {
    registry,
    apiRequests: new Counter({
      name: 'ganyun_api_requests_total',
      help: 'tRPC procedure calls by procedure and outcome (ok, or the tRPC error code)',
      labelNames: ['procedure', 'outcome'] as const,
      registers: [registry],
    }),
    apiDuration: new Histogram({
      name: 'ganyun_api_request_duration_seconds',
      help: 'tRPC procedure call duration',
      labelNames: ['procedure', 'outcome'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    storeQueryDuration: new Histogram({
      name: 'ganyun_store_query_duration_seconds',
      help: 'Store query duration by outcome',
      labelNames: ['outcome'] as const,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    passwordChecks: new Counter({
      name: 'ganyun_login_password_checks_total',
      help: 'Password hashes computed for sign-ins (attempts refused by the source-address throttle cost none)',
      registers: [registry],
    }),
    loginFailures: new Counter({
      name: 'ganyun_login_failures_total',
      help: 'Failed logins by reason (bad-credentials, locked, disabled, source-locked)',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    anonymousRefusals: new Counter({
      name: 'ganyun_api_anonymous_refusals_total',
      help: 'Calls without a valid caller that were refused (counted here, not written to the audit chain), by procedure and code',
      labelNames: ['procedure', 'code'] as const,
      registers: [registry],
    }),
    securityEventsSuppressed: new Counter({
      name: 'ganyun_security_events_suppressed_total',
      help: 'Security events (lockouts, refused tokens of real accounts) not chained because their source exceeded its rate',
      labelNames: ['event'] as const,
      registers: [registry],
    }),
    auditAppends: new Counter({
      name: 'ganyun_audit_appends_total',
      help: 'Audit records appended by outcome',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    workflowStepDuration: new Histogram({
      name: 'ganyun_workflow_step_duration_seconds',
      help: 'Workflow step duration by action, phase (run, compensate) and outcome',
      labelNames: ['action', 'phase', 'outcome'] as const,
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
      registers: [registry],
    }),
    workflowLeaseTakeovers: new Counter({
      name: 'ganyun_workflow_lease_takeovers_total',
      help: 'Steps taken over after their runner\'s lease expired (a runner died or stalled)',
      registers: [registry],
    }),
    workflowQueueDepth: new Gauge({
      name: 'ganyun_workflow_queue_depth',
      help: 'Pending steps of running workflows (read from the store at scrape time)',
      registers: [registry],
      async collect() {
        if (queueDepthSource) this.set(await queueDepthSource().catch(() => NaN));
      },
    }),
    providerCallDuration: new Histogram({
      name: 'ganyun_provider_call_duration_seconds',
      help: 'Provider calls (after retries) by cloud, operation and outcome (ok, an error code, circuit-open, bulkhead-rejected)',
      labelNames: ['provider', 'op', 'outcome'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    providerCircuitState: new Gauge({
      name: 'ganyun_provider_circuit_state',
      help: 'Circuit breaker state per cloud and operation class (read, mutate, inventory, health): 0 closed, 1 half-open, 2 open, 3 isolated',
      labelNames: ['cloud', 'class'] as const,
      registers: [registry],
    }),
    cloudUp: new Gauge({
      name: 'ganyun_cloud_up',
      help: 'Last health check per cloud: 1 up or degraded, 0 down',
      labelNames: ['cloud'] as const,
      registers: [registry],
    }),
    syncDuration: new Histogram({
      name: 'ganyun_sync_duration_seconds',
      help: 'Inventory sync duration by cloud and mode (full, incremental), failures included',
      labelNames: ['cloud', 'mode'] as const,
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    }),
    syncObjects: new Counter({
      name: 'ganyun_sync_objects_total',
      help: 'Inventory objects changed by syncs, by cloud and change (created, updated, deleted)',
      labelNames: ['cloud', 'change'] as const,
      registers: [registry],
    }),
    /**
     * One procedure call counted and timed. The labelled children are kept per (procedure, outcome), a bounded set,
     * so a call costs a map lookup instead of prom-client hashing the label object twice (issue 15).
     */
    apiCall(procedure: string, outcome: string, seconds: number) {
      const key = `${procedure} ${outcome}`;
      let child = apiChildren.get(key);
      if (!child) {
        child = { requests: this.apiRequests.labels(procedure, outcome), duration: this.apiDuration.labels(procedure, outcome) };
        apiChildren.set(key, child);
      }
      child.requests.inc();
      child.duration.observe(seconds);
    },
    /** The engine tells the gauge where to read the depth from (the store is opened after the metrics). */
    setQueueDepthSource(source: () => Promise<number>) {
      queueDepthSource = source;
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
