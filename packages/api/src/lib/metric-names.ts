/**
 * Every Prometheus metric the app exports (lib/metrics.ts; a test keeps the two equal). A
 * histogram's `_bucket`, `_sum` and `_count` series derive from its name. No imports: the infra
 * checks read this list to verify that the Grafana dashboard queries only metrics that exist.
 */
export const APP_METRIC_NAMES = [
  "samakki_http_request_duration_seconds",
  "samakki_db_query_duration_seconds",
  "samakki_db_pool_connections_in_use",
  "samakki_db_pool_waiting",
  "samakki_db_pool_max_connections",
  "samakki_outbox_pending_emails",
  "samakki_outbox_oldest_pending_age_seconds",
  "samakki_job_runs_total",
  "samakki_job_failures_total",
  "samakki_build_info",
] as const;

/** prom-client's default metrics (Node's own, under their usual names), among them the event-loop delay. */
const DEFAULT_METRIC_NAMES = [
  "process_cpu_user_seconds_total",
  "process_cpu_system_seconds_total",
  "process_cpu_seconds_total",
  "process_start_time_seconds",
  "process_resident_memory_bytes",
  "process_virtual_memory_bytes",
  "process_heap_bytes",
  "process_open_fds",
  "process_max_fds",
  "nodejs_eventloop_lag_seconds",
  "nodejs_eventloop_lag_min_seconds",
  "nodejs_eventloop_lag_max_seconds",
  "nodejs_eventloop_lag_mean_seconds",
  "nodejs_eventloop_lag_stddev_seconds",
  "nodejs_eventloop_lag_p50_seconds",
  "nodejs_eventloop_lag_p90_seconds",
  "nodejs_eventloop_lag_p99_seconds",
  "nodejs_active_resources",
  "nodejs_active_resources_total",
  "nodejs_active_handles",
  "nodejs_active_handles_total",
  "nodejs_active_requests",
  "nodejs_active_requests_total",
  "nodejs_heap_size_total_bytes",
  "nodejs_heap_size_used_bytes",
  "nodejs_external_memory_bytes",
  "nodejs_heap_space_size_total_bytes",
  "nodejs_heap_space_size_used_bytes",
  "nodejs_heap_space_size_available_bytes",
  "nodejs_version_info",
  "nodejs_gc_duration_seconds",
] as const;

export const METRIC_NAMES: readonly string[] = [...APP_METRIC_NAMES, ...DEFAULT_METRIC_NAMES];
