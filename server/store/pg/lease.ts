/**
 * A named lease in PostgreSQL: at most one holder at a time, for `ttlMs` from its last renewal. The holder
 * renews it before each run of the work it guards; an instance that stops releases it, one that dies loses it
 * when it expires, and another takes over. Times are the database's own (now()), so instances' clocks may differ.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../../log.js';
import type { Queryable } from './db.js';

export class Lease {
  /** This holder's id; a new one per process. */
  readonly holder = `${process.pid}-${randomUUID()}`;

  constructor(
    private readonly db: () => Queryable,
    readonly name: string,
    private readonly ttlMs: number,
  ) {}

  /** Takes the lease if it is free or expired, or renews it if held here; true when held here afterwards. */
  async acquire(): Promise<boolean> {
    const { rows } = await this.db().query<{ holder: string }>(
      `INSERT INTO leases AS l (name, holder, expires_at) VALUES ($1, $2, now() + $3 * interval '1 millisecond')
       ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
         WHERE l.holder = EXCLUDED.holder OR l.expires_at < now()
       RETURNING holder`,
      [this.name, this.holder, this.ttlMs],
    );
    return rows[0]?.holder === this.holder;
  }

  /** Gives the lease up at once, so that another instance need not wait for it to expire. */
  async release(): Promise<void> {
    await this.db().query('DELETE FROM leases WHERE name = $1 AND holder = $2', [this.name, this.holder]);
  }
}

/**
 * Runs `work` every `intervalMs` (and once now) on whichever instance holds `lease`; the others only try to take
 * the lease. The lease lasts three intervals, so a holder that died is replaced within about three intervals.
 */
export function runLeased(lease: Lease, intervalMs: number, work: () => Promise<unknown>, log: Logger): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  let stopped = false;
  let held = false;
  const tick = () => {
    if (running || stopped) return;
    running = (async () => {
      try {
        const now = await lease.acquire();
        if (now !== held) log('info', now ? 'lease taken' : 'lease held elsewhere', { lease: lease.name });
        held = now;
        if (held && !stopped) await work();
      } catch (err) {
        log('error', 'leased work failed', { lease: lease.name, err });
      } finally {
        running = undefined;
      }
    })();
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  tick();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      if (held) await lease.release().catch(() => undefined);
    },
  };
}
