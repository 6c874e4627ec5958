/**
 * The bus's order rules (server/realtime/event-bus.ts) with a real Redis and a scripted store: each seq once, in
 * order, whatever order it arrives in and from where; a gap nobody fills is read from the store.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { silentLogger } from '../../../server/log.js';
import type { EventView } from '../../../server/protocol.js';
import { EventBus } from '../../../server/realtime/event-bus.js';
import { connectRedis } from '../../../server/store/redis/connection.js';
import { ensureRedis, TEST_REDIS_URL, testPrefix } from '../../support/redis.js';

const event = (seq: number, site = 'kanreg1'): EventView => ({ site, seq, at: new Date(0).toISOString(), change: { type: 'thread.created' } as unknown as EventView['change'] });

async function rig(t: { after: (fn: () => unknown) => void }, stored: EventView[] = [], startSeq = 0, gapWaitMs = 20) {
  await ensureRedis();
  const prefix = testPrefix();
  const redis = await connectRedis({ url: TEST_REDIS_URL, prefix }, silentLogger);
  t.after(() => redis.close());
  let emit!: (e: EventView) => void;
  const reads: number[] = [];
  const bus = new EventBus({
    redis,
    local: (listener) => ((emit = listener), () => undefined),
    missed: async (site, afterSeq) => {
      reads.push(afterSeq);
      return stored.filter((e) => e.site === site && e.seq > afterSeq);
    },
    currentSeq: async () => startSeq,
    sites: ['kanreg1'],
    log: silentLogger,
    gapWaitMs,
    retryMs: 50,
  });
  await bus.start();
  t.after(() => bus.close());
  const delivered: number[] = [];
  bus.subscribe((e) => delivered.push(e.seq));
  // Another instance on the same channel.
  const publish = (e: EventView) => redis.client.publish(`${prefix}events`, JSON.stringify({ from: 'other-instance', event: e }));
  return { bus, emit: (e: EventView) => emit(e), publish, delivered, reads };
}

async function until(done: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('the event bus', () => {
  it('delivers local and published events once each and in seq order, whatever order they come in', async (t) => {
    // A long wait for a missing seq: here every seq does arrive, through Redis, however loaded the machine.
    const { emit, publish, delivered, reads } = await rig(t, [], 0, 5000);
    await publish(event(2));
    emit(event(1));
    emit(event(3));
    await publish(event(3)); // the same seq again, as when it comes both ways
    await publish(event(1));
    await until(() => delivered.length >= 3, 'three events');
    emit(event(4));
    assert.deepEqual(delivered, [1, 2, 3, 4]);
    assert.deepEqual(reads, [], 'nothing was missing long enough to be read from the store');
  });

  it('reads from the store a gap that nobody fills, and delivers what came after it in order', async (t) => {
    const stored = [1, 2, 3, 4].map((seq) => event(seq));
    const { emit, delivered, reads } = await rig(t, stored);
    emit(event(1));
    emit(event(4)); // 2 and 3 were committed elsewhere and their messages lost
    await until(() => delivered.length === 4, 'the gap filled');
    assert.deepEqual(delivered, [1, 2, 3, 4]);
    assert.deepEqual(reads.slice(0, 1), [1], 'read after the last delivered seq');
  });

  it('starts after the seq the store had when the instance started', async (t) => {
    const { emit, delivered } = await rig(t, [], 7);
    emit(event(7));
    emit(event(8));
    await until(() => delivered.length === 1, 'one event');
    assert.deepEqual(delivered, [8]);
  });
});
