import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError } from '../../../server/domain/errors.js';
import { HashingQueue, hashPassword, verifyPassword } from '../../../server/domain/passwords.js';

/** A task that finishes when the test says so. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, task: async () => { await opened; return true; } };
}

describe('password hashing', () => {
  it('verifies the password it hashed and nothing else', async () => {
    const hash = await hashPassword('rahasia-petugas-1');
    assert.equal(await verifyPassword('rahasia-petugas-1', hash), true);
    assert.equal(await verifyPassword('rahasia-petugas-2', hash), false);
    assert.equal(await verifyPassword('rahasia-petugas-1', 'scrypt$1$1$1$x$y'), false);
  });
});

describe('the bound on concurrent password checks', () => {
  it('runs one at a time, queues a few, and refuses the rest at once with a retry time', async () => {
    const queue = new HashingQueue({ concurrent: 1, queued: 2 });
    const gates = [gate(), gate(), gate()];
    const started: number[] = [];
    const runs = gates.map((g, i) => queue.run(async () => { started.push(i); return g.task(); }));
    // While the first check is still running, the fourth is refused without waiting for it.
    await assert.rejects(queue.run(async () => true), (err: unknown) => err instanceof DomainError && err.code === 'unavailable' && (err.details.retryAfterMs ?? 0) >= 1000);
    await Promise.resolve();
    assert.deepEqual(started, [0], 'only one runs');
    gates[0]!.open();
    await runs[0];
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(started, [0, 1], 'the slot passed to the next in line');
    gates[1]!.open();
    gates[2]!.open();
    assert.deepEqual(await Promise.all(runs), [true, true, true]);
    assert.equal(await queue.run(async () => 'free again'), 'free again');
  });

  it('gives its slot back when a check throws', async () => {
    const queue = new HashingQueue({ concurrent: 1, queued: 0 });
    await assert.rejects(queue.run(async () => { throw new Error('boom'); }), /boom/);
    assert.equal(await queue.run(async () => 1), 1);
  });

  it('runs everything at once when unbounded (for the benchmark only)', async () => {
    const queue = new HashingQueue('unbounded');
    const gates = Array.from({ length: 20 }, gate);
    let running = 0;
    const runs = gates.map((g) => queue.run(async () => { running++; return g.task(); }));
    await Promise.resolve();
    assert.equal(running, 20);
    for (const g of gates) g.open();
    await Promise.all(runs);
  });
});
