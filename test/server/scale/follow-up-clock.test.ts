/** The follow-up clock pass runs on one of two instances at a time, and moves when that one stops. */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { dropTestSchemas, queryIn, testSchema } from '../../support/postgres.js';
import { startInstance, type Instance } from '../../support/scale-rig.js';

after(dropTestSchemas);

describe('the follow-up clock on two instances', () => {
  it('passes on exactly one instance at a time; when it stops, the other takes over', async (t) => {
    const schema = await testSchema();
    t.after(schema.drop);
    await queryIn('public', `CREATE SCHEMA ${schema.name}`);
    const settings = { schema: schema.name, env: { OSG_FOLLOW_UP_CLOCK_MS: '1000' }, options: { followUpClock: true } };
    const instances: Instance[] = [await startInstance(settings), await startInstance(settings)];
    const stopped = new Set<number>();
    t.after(() => Promise.all(instances.map((s, i) => (stopped.has(i) ? undefined : s.stop()))));
    const passes: number[] = [];
    instances.forEach((instance, i) => {
      const pass = instance.followUps.clockPass.bind(instance.followUps);
      instance.followUps.clockPass = () => {
        passes.push(i);
        return pass();
      };
    });
    const until = async (count: number) => {
      const deadline = Date.now() + 20_000;
      while (passes.length < count) {
        if (Date.now() > deadline) throw new Error(`only ${passes.length} passes: ${passes}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    await until(3);
    const holder = passes[0]!;
    assert.deepEqual(new Set(passes), new Set([holder]), `only one instance passes: ${passes}`);

    await instances[holder]!.stop();
    stopped.add(holder);
    const from = passes.length;
    await until(from + 2);
    assert.deepEqual(new Set(passes.slice(from)), new Set([1 - holder]), `the other took over: ${passes}`);
    const [lease] = await queryIn<{ n: number }>(schema.name, `SELECT count(*)::int AS n FROM leases WHERE name = 'follow-up-clock'`);
    assert.equal(lease!.n, 1);
  });
});
