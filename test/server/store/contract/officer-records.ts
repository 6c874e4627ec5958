/** Verification requests and the audit log. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AuditEntry, VerificationRequest } from '../../../../server/domain/model.js';
import type { ContractContext } from './context.js';
import { at, unique } from './fixtures.js';

export function officerRecordsContract(c: ContractContext): void {
  describe('verification requests', () => {
    const request = (memberId: string, minute: number): VerificationRequest => ({
      id: unique('vr'),
      memberId,
      nip: '198001012005011001',
      instansi: 'Pemkab Bantul',
      jabatan: 'Analis Kepegawaian',
      status: 'pending',
      createdAt: at(minute),
    });

    it('creates, decides and lists requests newest first, by status and by member', async (t) => {
      t.after(c.done);
      const r1 = await c.store.createVerificationRequest({ request: request('v-a', 1) });
      const r2 = await c.store.createVerificationRequest({ request: { ...request('v-b', 2), note: 'SK terlampir' } });
      const r3 = await c.store.createVerificationRequest({ request: request('v-a', 3) });
      assert.deepEqual(r2.note, 'SK terlampir');

      const approved = await c.store.decideVerificationRequest({ id: r1.id, status: 'approved', decidedAt: at(5), decidedBy: 'v-officer', decisionNote: 'cocok' });
      assert.deepEqual(approved, { ...r1, status: 'approved', decidedAt: at(5), decidedBy: 'v-officer', decisionNote: 'cocok' });
      const rejected = await c.store.decideVerificationRequest({ id: r3.id, status: 'rejected', decidedAt: at(6), decidedBy: 'v-officer' });
      assert.deepEqual(rejected, { ...r3, status: 'rejected', decidedAt: at(6), decidedBy: 'v-officer' });
      assert.deepEqual(await c.store.getVerificationRequest({ id: r1.id }), approved);
      assert.deepEqual(await c.store.getVerificationRequest({ id: r2.id }), r2);
      assert.equal(await c.store.getVerificationRequest({ id: 'missing' }), undefined);
      assert.equal(await c.store.decideVerificationRequest({ id: 'missing', status: 'approved', decidedAt: at(6), decidedBy: 'v-officer' }), undefined);

      const ids = async (req: { status?: VerificationRequest['status']; memberId?: string; limit: number }) =>
        (await c.store.listVerificationRequests(req)).map((r) => r.id);
      assert.deepEqual(await ids({ limit: 10 }), [r3.id, r2.id, r1.id]);
      assert.deepEqual(await ids({ limit: 2 }), [r3.id, r2.id]);
      assert.deepEqual(await ids({ status: 'pending', limit: 10 }), [r2.id]);
      assert.deepEqual(await ids({ status: 'approved', limit: 10 }), [r1.id]);
      assert.deepEqual(await ids({ memberId: 'v-a', limit: 10 }), [r3.id, r1.id]);
      assert.deepEqual(await ids({ memberId: 'v-a', status: 'rejected', limit: 10 }), [r3.id]);
      assert.deepEqual(await ids({ memberId: 'v-none', limit: 10 }), []);
      assert.deepEqual(await c.store.listVerificationRequests({ status: 'approved', limit: 10 }), [approved]);

      await c.reopen();
      assert.deepEqual(await ids({ limit: 10 }), [r3.id, r2.id, r1.id]);
      assert.deepEqual(await c.store.listVerificationRequests({ memberId: 'v-a', limit: 10 }), [rejected, approved]);
    });
  });

  describe('audit log', () => {
    it('lists entries newest first, at most limit, optionally for one member', async (t) => {
      t.after(c.done);
      const entries: AuditEntry[] = [
        { id: 'a1', at: at(1), officerId: 'v-o', action: 'verification.approve', memberId: 'v-a', details: { requestId: 'vr-1' } },
        { id: 'a2', at: at(2), officerId: 'v-o', action: 'post.remove', postId: 'p-1' },
        { id: 'a3', at: at(3), officerId: 'v-o', action: 'verification.revoke', memberId: 'v-a' },
        { id: 'a4', at: at(4), officerId: 'v-o', action: 'votes.reverse', memberId: 'v-b', details: { votes: 3, reason: 'sockpuppets' } },
      ];
      for (const entry of entries) await c.store.appendAudit({ entry });
      assert.deepEqual(await c.store.listAudit({ limit: 10 }), [...entries].reverse());
      assert.deepEqual((await c.store.listAudit({ limit: 2 })).map((e) => e.id), ['a4', 'a3']);
      assert.deepEqual((await c.store.listAudit({ memberId: 'v-a', limit: 10 })).map((e) => e.id), ['a3', 'a1']);
      assert.deepEqual(await c.store.listAudit({ memberId: 'v-z', limit: 10 }), []);
      (await c.store.listAudit({ limit: 1 }))[0].details!.votes = 99;
      assert.deepEqual((await c.store.listAudit({ limit: 1 }))[0], entries[3], 'callers get copies');
      await c.reopen();
      assert.deepEqual(await c.store.listAudit({ limit: 10 }), [...entries].reverse());
    });
  });

}
