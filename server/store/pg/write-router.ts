import { WriteLane, type LaneOp } from './lanes.js';

/** A site's name, or how to find it: at once when known, else a look-up (undefined: no such record). */
export type SiteOf = string | (() => string | Promise<string | undefined>);

/**
 * Hands writes to lanes in call order: a WriteLane per site for sequenced changes, one lane without a
 * seq for everything else. Lanes keep call order, as the other stores do: a write whose site must
 * first be looked up (an edit or a vote removal names only the post) holds back the writes called
 * after it until it is queued.
 */
export class WriteRouter {
  private readonly lanes = new Map<string, WriteLane>();
  private readonly unsequencedLane: WriteLane;
  /** Writes waiting for their site to be looked up, in call order. */
  private admission: Promise<void> = Promise.resolve();
  private waitingForSite = 0;

  constructor(
    private readonly options: {
      newLane: (site: string | undefined) => WriteLane;
      /** What a lane's failure becomes for the caller. */
      refusal: (err: unknown) => unknown;
    },
  ) {
    this.unsequencedLane = options.newLane(undefined);
  }

  /** Resolves once every write handed over so far has been committed or refused. */
  async idle(): Promise<void> {
    await this.admission;
    for (const lane of [this.unsequencedLane, ...this.lanes.values()]) await lane.idle();
  }

  unsequenced<T>(op: LaneOp<T>): Promise<T> {
    return this.run(this.unsequencedLane, op);
  }

  /**
   * Queues `op` on its site's lane in call order. When `site` is looked up and there is no such
   * record, the write resolves undefined.
   */
  sequenced<T>(site: string, op: LaneOp<T>): Promise<T>;
  sequenced<T>(site: SiteOf, op: LaneOp<T | undefined>): Promise<T | undefined>;
  sequenced<T>(site: SiteOf, op: LaneOp<T>): Promise<T | undefined> {
    const found = typeof site === 'string' ? site : site();
    if (typeof found === 'string' && this.waitingForSite === 0) return this.run(this.lane(found), op);
    // A look-up that fails while earlier writes are still being queued is reported by `await found` below.
    if (typeof found !== 'string') found.catch(() => {});
    this.waitingForSite++;
    let result: Promise<T | undefined> = Promise.resolve(undefined);
    const queued = this.admission.then(async () => {
      try {
        const name = await found;
        if (name !== undefined) result = this.run(this.lane(name), op);
      } finally {
        this.waitingForSite--;
      }
    });
    // The next write waits until this one is queued, not until it is committed.
    this.admission = queued.then(
      () => {},
      () => {},
    );
    return queued.then(() => result);
  }

  private run<T>(lane: WriteLane, op: LaneOp<T>): Promise<T> {
    return lane.run(op).catch((err: unknown) => {
      throw this.options.refusal(err);
    });
  }

  private lane(site: string): WriteLane {
    let lane = this.lanes.get(site);
    if (!lane) {
      lane = this.options.newLane(site);
      this.lanes.set(site, lane);
    }
    return lane;
  }
}
