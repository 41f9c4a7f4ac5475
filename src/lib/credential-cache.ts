/**
 * What authentication learned about a credential, kept for a few seconds so that a busy client
 * costs one database lookup per interval instead of one per request. Only good answers are kept:
 * an unknown or revoked credential is looked up every time (and counted by the failure limiter).
 * Bounded: past `maxEntries` the oldest entry goes.
 */
export class CredentialCache<T> {
  private readonly entries = new Map<string, { value: T; storedAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(key: string, now: number): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    // A clock that went backwards counts as stale too.
    const age = now - entry.storedAt;
    if (age < 0 || age >= this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: T, now: number): void {
    if (this.ttlMs <= 0) return;
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { value, storedAt: now });
  }

  /** Drops every entry `matches` picks, e.g. the key just revoked on this instance. */
  forget(matches: (value: T) => boolean): void {
    for (const [key, entry] of this.entries) if (matches(entry.value)) this.entries.delete(key);
  }
}
