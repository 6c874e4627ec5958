/** generation() and health(): what /healthz, `welcome` and thread lists read from every store. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContractContext } from './context.js';
import { newThread } from './fixtures.js';

export function healthContract(c: ContractContext): void {
  describe('generation and health', () => {
    it('gives a generation clients can hold (the protocol pattern), the same on every call while open', async (t) => {
      t.after(c.done);
      const generation = await c.store.generation();
      assert.match(generation, /^[A-Za-z0-9_-]{1,64}$/);
      await c.store.createThread({ thread: newThread() });
      assert.equal(await c.store.generation(), generation);
    });

    it('is healthy while open, and says it is stopping once closed', async (t) => {
      t.after(c.done);
      assert.deepEqual(await c.store.health(), { ok: true });
      await c.store.close();
      const health = await c.store.health();
      assert.equal(health.ok, false);
      assert.equal(!health.ok && health.reason, 'stopping');
    });
  });
}
