import type { Config } from '../config';
import { problems } from './errors';

/**
 * Fixed-window counters held in memory. Per instance: good enough to slow down guessing from one
 * address; a shared limiter (a Durable Object or the edge's own rules) is the next step when
 * several instances run.
 */
export class FixedWindowLimiter {
  private readonly windows = new Map<string, { startedAt: number; count: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxKeys = 10_000,
  ) {}

  /** Seconds until the key may try again, or 0 when it is under its limit. */
  retryAfter(key: string, now: number): number {
    const window = this.windows.get(key);
    if (!window || now - window.startedAt >= this.windowMs || window.count < this.limit) return 0;
    return Math.max(1, Math.ceil((window.startedAt + this.windowMs - now) / 1000));
  }

  hit(key: string, now: number): void {
    const window = this.windows.get(key);
    if (!window || now - window.startedAt >= this.windowMs) {
      if (this.windows.size >= this.maxKeys) this.evictExpired(now);
      this.windows.set(key, { startedAt: now, count: 1 });
    } else {
      window.count += 1;
    }
  }

  private evictExpired(now: number) {
    for (const [key, window] of this.windows) {
      if (now - window.startedAt >= this.windowMs) this.windows.delete(key);
    }
    // Still full of live windows: drop the oldest rather than grow without bound.
    if (this.windows.size >= this.maxKeys) {
      const oldest = this.windows.keys().next().value;
      if (oldest !== undefined) this.windows.delete(oldest);
    }
  }
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/** Counts one request against `key`'s budget, or throws 429 with Retry-After when it is spent. */
export function spend(limiter: FixedWindowLimiter, key: string, now: number): void {
  const wait = limiter.retryAfter(key, now);
  if (wait > 0) throw problems.rateLimited(wait);
  limiter.hit(key, now);
}

export interface Limiters {
  /**
   * Failed supplier tokens per client address, shared by the portal page, its JSON API and
   * incident-report links so that none is a side door for guessing. (The API's own failures are
   * counted by its authenticator.)
   */
  portalAuthFailures: FixedWindowLimiter;
  /** Per tenant. */
  evidenceUploads: FixedWindowLimiter;
  /** Per portal link. */
  portalUploads: FixedWindowLimiter;
  portalForwards: FixedWindowLimiter;
  /** Per incident-report link. */
  incidentReports: FixedWindowLimiter;
}

// One set per app: every app is built with its own config object (tests build many apps).
const limiterSets = new WeakMap<Config, Limiters>();

export function limitersOf(config: Config): Limiters {
  let set = limiterSets.get(config);
  if (!set) {
    const limits = config.rateLimits;
    set = {
      portalAuthFailures: new FixedWindowLimiter(limits.authFailuresPerMinute, MINUTE_MS),
      evidenceUploads: new FixedWindowLimiter(limits.evidenceUploadsPerMinute, MINUTE_MS),
      portalUploads: new FixedWindowLimiter(limits.portalUploadsPerMinute, MINUTE_MS),
      portalForwards: new FixedWindowLimiter(limits.portalForwardsPerHour, HOUR_MS),
      incidentReports: new FixedWindowLimiter(limits.incidentReportsPerHour, HOUR_MS),
    };
    limiterSets.set(config, set);
  }
  return set;
}
