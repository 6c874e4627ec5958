/**
 * WriteRouter on its own (no database): writes keep call order across site look-ups, a refusal reaches
 * its caller, and no refusal is ever reported as an unhandled rejection while it waits to be handed on.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LaneOp, WriteLane } from '../../../../server/store/pg/lanes.js';
import { WriteRouter } from '../../../../server/store/pg/write-router.js';

/** A lane that records what it runs and answers at once: `refuse` rejects, anything else resolves with its name. */
function fakeLanes() {
  const ran: string[] = [];
  const newLane = (site: string | undefined) =>
    ({
      run: (op: LaneOp<unknown>) => {
        const name = (op as unknown as { name: string }).name;
        ran.push(`${site}:${name}`);
        return name.startsWith('refuse') ? Promise.reject(new Error(`refused ${name}`)) : Promise.resolve(name);
      },
      idle: async () => {},
    }) as unknown as WriteLane;
  return { ran, newLane };
}
/** The caller's side: a handler on the write's promise at once, as every caller has. */
const settle = <T>(p: Promise<T>) => p.then((value) => ({ value }), (error: Error) => ({ error: error.message }));
const op = (name: string) => ({ name, pipelined: true, run: async () => name }) as unknown as LaneOp<string>;

describe('WriteRouter', () => {
  it('keeps call order behind a site look-up and hands each refusal to its caller, none unhandled', async (t) => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    t.after(() => process.off('unhandledRejection', onUnhandled));
    const { ran, newLane } = fakeLanes();
    const router = new WriteRouter({ newLane, refusal: (err) => new Error(`unavailable: ${(err as Error).message}`) });

    let answerLookUp!: (site: string | undefined) => void;
    const lookUp = new Promise<string | undefined>((resolve) => (answerLookUp = resolve));
    const first = settle(router.sequenced(() => lookUp, op('edit')));
    // Called after the look-up started: they wait for it, so they run after the edit.
    const second = settle(router.sequenced('kanreg-1', op('refuse-thread')));
    const third = settle(router.sequenced(() => 'kanreg-2', op('refuse-vote')));
    const missing = settle(router.sequenced(() => Promise.resolve(undefined), op('nothing')));
    // Let several turns pass with the refusals settled inside the router before anyone reads them.
    answerLookUp('kanreg-1');
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));

    assert.deepEqual(await first, { value: 'edit' });
    assert.deepEqual(await second, { error: 'unavailable: refused refuse-thread' });
    assert.deepEqual(await third, { error: 'unavailable: refused refuse-vote' });
    assert.deepEqual(await missing, { value: undefined }, 'no such record: nothing run');
    assert.deepEqual(ran, ['kanreg-1:edit', 'kanreg-1:refuse-thread', 'kanreg-2:refuse-vote']);
    await router.idle();
    // Barrier: unhandled rejections are reported after the microtasks of a turn; two more turns have passed.
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(unhandled, []);
  });

  it('refuses a write whose site look-up fails, and the writes after it still run', async () => {
    const { ran, newLane } = fakeLanes();
    const router = new WriteRouter({ newLane, refusal: (err) => err });
    const failed = router.sequenced(() => Promise.reject(new Error('look-up failed')), op('edit'));
    const next = router.sequenced('kanreg-1', op('thread'));
    await assert.rejects(failed, /look-up failed/);
    assert.equal(await next, 'thread');
    assert.deepEqual(ran, ['kanreg-1:thread']);
  });
});
