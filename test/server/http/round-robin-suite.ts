/**
 * Round-robin assignment (site setting `assignment: "round_robin"`) on a real server: new follow-ups go to
 * the site's officers in turn, concurrent requests included, the turn goes on after a restart, a removed
 * officer drops out at once, and a site left on `manual` assigns nobody.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { officerAccounts, queueRig, rigSites, type StoreKind } from '../../support/queue-rig.js';

/** The suite on one store; round-robin.test.ts runs it on the JSON store, round-robin-pg.test.ts on PostgreSQL. */
export function roundRobinSuite(kind: StoreKind): void {
  describe('round-robin assignment', () => {
    it('gives new follow-ups to the site’s officers in turn, fairly under concurrent requests and across a restart', async (t) => {
      const rig = await queueRig(t, kind, { sites: rigSites({ assignment: 'round_robin' }) });
      const asker = await rig.visitor();
      const openMany = async (count: number, site = 'kanreg1') => {
        const threads: string[] = [];
        for (let i = 0; i < count; i++) threads.push((await rig.ask(asker.auth, site)).id);
        const followUps = await Promise.all(threads.map((id) => rig.request(asker.auth, id)));
        const assignees = await Promise.all(threads.map(async (id) => ((await rig.followUp(rig.officer.kepala, id)).assignee as { id: string } | undefined)?.id));
        return followUps.map((f, i) => [f.tracking, assignees[i]] as const).sort(([a], [b]) => a.localeCompare(b));
      };

      // kanreg1's officers are petugas1 and petugas2; rina (supervisor) and kepala (admin) take no turn.
      assert.deepEqual(await openMany(4), [
        ['KR1-2026-000001', 'officer-petugas1'],
        ['KR1-2026-000002', 'officer-petugas2'],
        ['KR1-2026-000003', 'officer-petugas1'],
        ['KR1-2026-000004', 'officer-petugas2'],
      ]);
      await rig.restart();
      assert.deepEqual(await openMany(1), [['KR1-2026-000005', 'officer-petugas1']], 'the turn goes on after a restart');
      assert.deepEqual(await openMany(2, 'kanreg2'), [
        ['KR2-2026-000001', undefined],
        ['KR2-2026-000002', undefined],
      ], 'kanreg2 is left on manual');

      // Each officer sees their own in "assigned to me"; the assignment is in the audit log, by the system.
      const mine = (await rig.api.get('/api/officer/queue?assignee=me').set(rig.officer.petugas2).expect(200)).body.items;
      // All opened at the same instant, so due at the same time: the order among them is the store's.
      assert.deepEqual(mine.map((i: { followUp: { tracking: string } }) => i.followUp.tracking).sort(), ['KR1-2026-000002', 'KR1-2026-000004']);
      const audit = (await rig.api.get('/api/officer/audit').set(rig.officer.kepala).expect(200)).body.entries as Array<{ action: string; officerId: string; details: Record<string, unknown> }>;
      const assigned = audit.filter((e) => e.action === 'followup.assign');
      assert.equal(assigned.length, 5);
      assert.ok(assigned.every((e) => e.details.roundRobin === true && e.details.version === 2));
    });

    it('leaves a removed officer out from the very next follow-up', async (t) => {
      const rig = await queueRig(t, kind, { sites: rigSites({ assignment: 'round_robin' }) });
      const asker = await rig.visitor();
      const open = async () => {
        const thread = await rig.ask(asker.auth);
        await rig.request(asker.auth, thread.id);
        return ((await rig.followUp(rig.officer.kepala, thread.id)).assignee as { id: string } | undefined)?.id;
      };
      assert.equal(await open(), 'officer-petugas1');
      await rig.server.officers.reloadAccounts((await officerAccounts()).filter((a) => a.username !== 'petugas2'));
      assert.deepEqual([await open(), await open()], ['officer-petugas1', 'officer-petugas1']);
      // With no officer left on the site, a follow-up waits unassigned for someone to take it.
      await rig.server.officers.reloadAccounts((await officerAccounts()).filter((a) => !a.username.startsWith('petugas')));
      assert.equal(await open(), undefined);
    });
  });
}
