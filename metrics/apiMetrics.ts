import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { isCallEventType, readCallEvent } from '../events/callEvents.js';
import type { StoredEvent } from '../events/eventStore.js';
import type { Pool } from '../store/pool.js';

/**
 * What Prometheus scrapes from the API: the calls in progress (counted in
 * the database when scraped, so every API instance agrees), and what calls
 * do, from their events as they are stored (hold time, how fast a person
 * is noticed, outcomes), plus the API's own requests and the process.
 */
export class ApiMetrics {
  readonly registry = new Registry();
  readonly requestSeconds = new Histogram({
    name: 'holdslayer_http_request_duration_seconds',
    help: 'API requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  private readonly holdSeconds = new Histogram({
    name: 'holdslayer_hold_seconds',
    help: 'Time a call spent on hold, in all, by how the call ended',
    labelNames: ['outcome'] as const,
    buckets: [5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200],
    registers: [this.registry],
  });
  private readonly detectionSeconds = new Histogram({
    name: 'holdslayer_human_detection_latency_seconds',
    help: "From the first sound of a person's speech on hold to the decision that a person is there",
    labelNames: ['reason'] as const,
    buckets: [0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10],
    registers: [this.registry],
  });
  private readonly outcomes = new Counter({
    name: 'holdslayer_call_outcomes_total',
    help: 'Calls ended, by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  constructor(pool: Pool) {
    new Gauge({
      name: 'holdslayer_calls_in_progress',
      help: 'Calls started and not yet ended',
      registers: [this.registry],
      async collect() {
        const result = await pool.query<{ n: string }>(
          `SELECT count(*) AS n FROM calls WHERE status = 'started'`,
        );
        this.set(Number(result.rows[0]!.n));
      },
    });
    collectDefaultMetrics({ register: this.registry, prefix: 'holdslayer_api_' });
  }

  /** Counts what a stored call event says; events of other kinds, or unreadable ones, are not counted. */
  observe(stored: StoredEvent): void {
    if (!isCallEventType(stored.type)) return;
    let event;
    try {
      event = readCallEvent(stored);
    } catch {
      return;
    }
    if (event.type === 'call.human_detected' && event.data.detectionMs !== null) {
      this.detectionSeconds.observe({ reason: event.data.reason }, event.data.detectionMs / 1000);
    } else if (event.type === 'call.ended') {
      this.outcomes.inc({ outcome: event.data.outcome });
      if (event.data.holdSeconds !== null && event.data.holdSeconds > 0)
        this.holdSeconds.observe({ outcome: event.data.outcome }, event.data.holdSeconds);
    }
  }
}
