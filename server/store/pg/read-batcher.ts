/**
 * Look-ups of single records made at about the same time, sent as one statement. Every request the domain
 * serves reads a record or two by key (an answer: its earlier clientId and its thread); under load many such
 * requests are in flight, and one statement per read spends the time in round trips and socket writes, not
 * in PostgreSQL. Requests made before the next turn of the event loop (`setImmediate`) go out together, at
 * most `max` keys per statement; each caller gets its own record, or undefined. A failed statement rejects
 * every read it carried, as a read of its own would have failed.
 */
export class ReadBatcher<Q, V> {
  private pending = new Map<string, { request: Q; waiting: Array<{ resolve: (value: V | undefined) => void; reject: (err: unknown) => void }> }>();
  private scheduled = false;

  constructor(
    private readonly options: {
      /** The key a request is known by; requests with equal keys share one look-up. */
      key: (request: Q) => string;
      /** The records found for these requests, by key; a key left out is a record that does not exist. */
      fetch: (requests: Q[]) => Promise<Map<string, V>>;
      /** A copy of a record, for each further caller that asked for the same key (callers may change what they get). */
      copy: (record: V) => V;
      max?: number;
    },
  ) {}

  get(request: Q): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      const key = this.options.key(request);
      let entry = this.pending.get(key);
      if (!entry) {
        entry = { request, waiting: [] };
        this.pending.set(key, entry);
      }
      entry.waiting.push({ resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const entries = [...this.pending];
    this.pending = new Map();
    const max = this.options.max ?? 500;
    for (let i = 0; i < entries.length; i += max) {
      const chunk = entries.slice(i, i + max);
      this.options.fetch(chunk.map(([, entry]) => entry.request)).then(
        (found) => {
          for (const [key, entry] of chunk) {
            const record = found.get(key);
            entry.waiting.forEach((w, i) => w.resolve(record === undefined || i === 0 ? record : this.options.copy(record)));
          }
        },
        (err: unknown) => {
          for (const [, entry] of chunk) for (const w of entry.waiting) w.reject(err);
        },
      );
    }
  }
}
