/**
 * At most `limit` runs of a kind of work at once in this process; the rest wait their turn (first
 * come, first served), and once `queue` are waiting, more are refused with `busy()`. For work whose
 * memory grows with its input, such as an import that parses and checks thousands of rows, so that
 * concurrent requests cannot together exhaust the heap (`npm start` caps it, see README "Deploying").
 */
export class ConcurrencyGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly limit: number,
    private readonly queue: number,
  ) {}

  async run<T>(work: () => Promise<T>, busy: () => Error): Promise<T> {
    if (this.running < this.limit) {
      this.running += 1;
    } else {
      if (this.waiting.length >= this.queue) throw busy();
      // The finishing run hands its place over directly, so `running` never drops in between.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}
