/** Rate limits (token buckets), fault injection and request counters, keyed by `service:Operation`. */
import type { ServiceName } from './core.js';
import { seededRandom } from './core.js';

export interface RateLimit { rate: number; burst: number }

export interface RateLimitOptions {
  enabled?: boolean;
  /** Multiplies every rate (requests per second); `10` compresses time tenfold for fast benchmarks. Bursts stay. */
  scale?: number;
  /** Keyed by `service:Operation` (e.g. `connect:DescribeUser`) or by service (`connect`). */
  overrides?: Record<string, RateLimit>;
  /**
   * Retry-After (seconds, fractions allowed) sent with Identity Store / SSO Admin throttling and 5xx answers; the SDK waits
   * that long before retrying. Default 1, divided by `scale` like every other duration; 0 sends no header.
   */
  retryAfterSeconds?: number;
  /**
   * The buckets' clock in milliseconds (default `Date.now`). A test that counts throttles passes its own and steps it,
   * so the result does not depend on how fast the machine serves a burst.
   */
  clock?: () => number;
}

/**
 * AWS's documented defaults: Connect 2/s burst 5 per operation; Identity Store and SSO Admin 20/s per operation;
 * CloudTrail's get, describe and list APIs 10/s.
 */
export const DEFAULT_RATE_LIMITS: Partial<Record<ServiceName, RateLimit>> = {
  connect: { rate: 2, burst: 5 },
  identitystore: { rate: 20, burst: 20 },
  'sso-admin': { rate: 20, burst: 20 },
  cloudtrail: { rate: 10, burst: 10 },
};

export class RateLimiter {
  private buckets = new Map<string, { tokens: number; at: number }>();
  private options: Required<RateLimitOptions> = { enabled: true, scale: 1, overrides: {}, retryAfterSeconds: 1, clock: Date.now };

  constructor(options: RateLimitOptions = {}) {
    this.configure(options);
  }

  configure(options: RateLimitOptions): void {
    this.options = {
      enabled: options.enabled ?? this.options.enabled,
      scale: options.scale ?? this.options.scale,
      overrides: options.overrides ?? this.options.overrides,
      retryAfterSeconds: options.retryAfterSeconds ?? this.options.retryAfterSeconds,
      clock: options.clock ?? this.options.clock,
    };
    this.buckets.clear();
  }

  /** Retry-After to send: the configured seconds compressed by `scale`, like the rates. */
  get retryAfterSeconds(): number {
    return this.options.retryAfterSeconds / this.options.scale;
  }

  limitFor(service: ServiceName, operation: string): RateLimit | undefined {
    return this.options.overrides[`${service}:${operation}`] ?? this.options.overrides[service] ?? DEFAULT_RATE_LIMITS[service];
  }

  /** Takes one token; false when the request must be throttled. */
  take(service: ServiceName, operation: string, now = this.options.clock()): boolean {
    if (!this.options.enabled) return true;
    const limit = this.limitFor(service, operation);
    if (limit === undefined) return true;
    const key = `${service}:${operation}`;
    const rate = limit.rate * this.options.scale;
    const bucket = this.buckets.get(key) ?? { tokens: limit.burst, at: now };
    bucket.tokens = Math.min(limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * rate);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }
}

export interface FaultSpec {
  /** Probability (0..1) that a request answers ThrottlingException. */
  throttleRate?: number;
  /** Probability (0..1) that a request answers InternalServerException (HTTP 500). */
  errorRate?: number;
  /** Latency added before the request is handled. */
  latencyMs?: number;
  /** Deterministic: the next N requests answer ThrottlingException. */
  throttleNext?: number;
  /** Deterministic: the next N requests answer InternalServerException. */
  errorNext?: number;
  /**
   * Deterministic: the next N requests are carried out, then their answer is lost (the connection closes without a
   * response; the SDK sees a reset socket). What AWS can do: a request that succeeded server-side whose response never
   * reached the caller (a network cut, a client that stopped waiting). Not for DynamoDB (dynalite answers it).
   */
  lostAnswerNext?: number;
  /** Probability (0..1) that a request is carried out and its answer lost (drawn only when set). */
  lostAnswerRate?: number;
}

export interface FaultOptions extends FaultSpec {
  /** Per-operation faults keyed by `service:Operation` or service; they replace the global spec for that key. */
  operations?: Record<string, FaultSpec>;
}

/** throttle, error: answered before the operation runs (it changes nothing); lose-answer: runs, then no answer. */
export type FaultDecision = { kind: 'none' | 'throttle' | 'error' | 'lose-answer'; latencyMs: number };

export class FaultInjector {
  private random: () => number;
  private options: FaultOptions = {};

  constructor(seed: number, options: FaultOptions = {}) {
    this.random = seededRandom(seed);
    this.configure(options);
  }

  configure(options: FaultOptions): void {
    this.options = structuredClone(options);
  }

  decide(service: ServiceName, operation: string): FaultDecision {
    const spec = this.options.operations?.[`${service}:${operation}`] ?? this.options.operations?.[service] ?? this.options;
    const latencyMs = spec.latencyMs ?? 0;
    if ((spec.throttleNext ?? 0) > 0) {
      spec.throttleNext = (spec.throttleNext ?? 0) - 1;
      return { kind: 'throttle', latencyMs };
    }
    if ((spec.errorNext ?? 0) > 0) {
      spec.errorNext = (spec.errorNext ?? 0) - 1;
      return { kind: 'error', latencyMs };
    }
    // Draw both numbers every time so one rate does not shift the other's sequence.
    const throttleDraw = this.random();
    const errorDraw = this.random();
    if (throttleDraw < (spec.throttleRate ?? 0)) return { kind: 'throttle', latencyMs };
    if (errorDraw < (spec.errorRate ?? 0)) return { kind: 'error', latencyMs };
    if ((spec.lostAnswerNext ?? 0) > 0) {
      spec.lostAnswerNext = (spec.lostAnswerNext ?? 0) - 1;
      return { kind: 'lose-answer', latencyMs };
    }
    // Drawn only when set: the throttle and error sequences of a seed stay what they were without it.
    if (spec.lostAnswerRate !== undefined && this.random() < spec.lostAnswerRate) return { kind: 'lose-answer', latencyMs };
    return { kind: 'none', latencyMs };
  }
}

export interface OperationCounts { total: number; ok: number; throttled: number; faulted: number; error: number }
export type Outcome = 'ok' | 'throttled' | 'faulted' | 'error';

/**
 * Requests per `service:Operation`. `throttled`: refused by the rate limit; `faulted`: answered an injected fault
 * (throttle or 5xx) or carried out with its answer lost; `error`: the operation itself answered an error; `ok`: success.
 */
export class Counters {
  private counts = new Map<string, OperationCounts>();

  record(key: string, outcome: Outcome): void {
    const entry = this.counts.get(key) ?? { total: 0, ok: 0, throttled: 0, faulted: 0, error: 0 };
    entry.total += 1;
    entry[outcome] += 1;
    this.counts.set(key, entry);
  }

  get(key: string): OperationCounts {
    return { ...(this.counts.get(key) ?? { total: 0, ok: 0, throttled: 0, faulted: 0, error: 0 }) };
  }

  snapshot(): Record<string, OperationCounts> {
    const out: Record<string, OperationCounts> = {};
    for (const [key, value] of [...this.counts.entries()].sort(([a], [b]) => a.localeCompare(b))) out[key] = { ...value };
    return out;
  }

  reset(): void {
    this.counts.clear();
  }
}
