import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Metrics on an injected registry (never the global one), so tests and several app instances in one
 * process do not collide. Names carry their unit; durations are recorded in `finally` so failures count too.
 */
export function createMetrics(registry = new Registry()) {
  let queueDepthSource: (() => Promise<number>) | undefined;
  const apiChildren = new Map<string, { requests: { inc(): void }; duration: { observe(v: number): void } }>();
  collectDefaultMetrics({ register: registry, prefix: 'ganyun_process_' });
  // Every metric is registered on the injected registry only.
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) => new Counter({ name, help, labelNames, registers: [registry] });
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) => new Gauge({ name, help, labelNames, registers: [registry] });
  const histogram = <L extends string>(name: string, help: string, labelNames: readonly L[], buckets: number[]) =>
    new Histogram({ name, help, labelNames, buckets, registers: [registry] });
  return {
    registry,
    apiRequests: counter('ganyun_api_requests_total', 'tRPC procedure calls by procedure and outcome (ok, or the tRPC error code)', ['procedure', 'outcome']),
    apiDuration: histogram('ganyun_api_request_duration_seconds', 'tRPC procedure call duration', ['procedure', 'outcome'], [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]),
    storeQueryDuration: histogram('ganyun_store_query_duration_seconds', 'Store query duration by outcome', ['outcome'], [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1]),
    passwordChecks: counter('ganyun_login_password_checks_total', 'Password hashes computed for sign-ins (attempts refused by the source-address throttle cost none)'),
    loginFailures: counter('ganyun_login_failures_total', 'Failed logins by reason (bad-credentials, locked, disabled, source-locked)', ['reason']),
    anonymousRefusals: counter('ganyun_api_anonymous_refusals_total', 'Calls without a valid caller that were refused (counted here, not written to the audit chain), by procedure and code', ['procedure', 'code']),
    securityEventsSuppressed: counter('ganyun_security_events_suppressed_total', 'Security events (lockouts, refused tokens of real accounts) not chained because their source exceeded its rate', ['event']),
    auditAppends: counter('ganyun_audit_appends_total', 'Audit records appended by outcome', ['outcome']),
    workflowStepDuration: histogram('ganyun_workflow_step_duration_seconds', 'Workflow step duration by action, phase (run, compensate) and outcome', ['action', 'phase', 'outcome'], [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300]),
    workflowLeaseTakeovers: counter('ganyun_workflow_lease_takeovers_total', 'Steps taken over after their runner\'s lease expired (a runner died or stalled)'),
    workflowQueueDepth: new Gauge({
      name: 'ganyun_workflow_queue_depth',
      help: 'Pending steps of running workflows (read from the store at scrape time)',
      registers: [registry],
      async collect() {
        if (queueDepthSource) this.set(await queueDepthSource().catch(() => NaN));
      },
    }),
    providerCallDuration: histogram('ganyun_provider_call_duration_seconds', 'Provider calls (after retries) by cloud, operation and outcome (ok, an error code, circuit-open, bulkhead-rejected)', ['provider', 'op', 'outcome'], [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]),
    providerCircuitState: gauge('ganyun_provider_circuit_state', 'Circuit breaker state per cloud and operation class (read, mutate, inventory, health): 0 closed, 1 half-open, 2 open, 3 isolated', ['cloud', 'class']),
    cloudUp: gauge('ganyun_cloud_up', 'Last health check per cloud: 1 up or degraded, 0 down', ['cloud']),
    syncDuration: histogram('ganyun_sync_duration_seconds', 'Inventory sync duration by cloud and mode (full, incremental), failures included', ['cloud', 'mode'], [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]),
    syncObjects: counter('ganyun_sync_objects_total', 'Inventory objects changed by syncs, by cloud and change (created, updated, deleted)', ['cloud', 'change']),
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
