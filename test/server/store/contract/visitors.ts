/** Visitors and members: creation, renaming, patches, usernames, activity. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContractContext } from './context.js';
import { at, newPost, newThread, visitor } from './fixtures.js';

export function visitorsContract(c: ContractContext): void {
  describe('visitors', () => {
    it('keeps a created visitor and returns undefined for an unknown id', async (t) => {
      t.after(c.done);
      const v = visitor({ name: 'Ani Lestari' });
      assert.deepEqual(await c.store.createVisitor({ visitor: v }), v);
      assert.deepEqual(await c.store.getVisitor({ id: v.id }), v);
      assert.equal(await c.store.getVisitor({ id: 'nobody' }), undefined);
    });

    it('renames a visitor and stamps updatedAt; renaming an unknown visitor gives undefined', async (t) => {
      t.after(c.done);
      const v = await c.store.createVisitor({ visitor: visitor() });
      const renamed = await c.store.renameVisitor({ id: v.id, name: 'Sari Dewi', at: at(9) });
      assert.deepEqual(renamed, { ...v, name: 'Sari Dewi', updatedAt: at(9) });
      assert.deepEqual(await c.store.getVisitor({ id: v.id }), renamed);
      assert.equal(await c.store.renameVisitor({ id: 'nobody', name: 'X', at: at(9) }), undefined);
    });
  });


  describe('members (trust fields)', () => {
    it('patches a member, keeps untouched fields, removes a field given as undefined, and persists it', async (t) => {
      t.after(c.done);
      const v = await c.store.createVisitor({ visitor: visitor({ name: 'Ani' }) });
      const verified = { instansi: 'BKN', jabatan: 'Analis', at: at(2), by: 'v-officer', requestId: 'vr-1' };
      const first = await c.store.updateMember({
        id: v.id,
        patch: { updatedAt: at(2), profile: { instansi: 'BKN', bidang: 'kepegawaian' }, verified, reputation: 15, stats: { questions: 1, answers: 2, helpfulAnswers: 1, acceptedAnswers: 0, endorsedAnswers: 0 } },
      });
      assert.deepEqual(first, { ...v, updatedAt: at(2), profile: { instansi: 'BKN', bidang: 'kepegawaian' }, verified, reputation: 15, stats: { questions: 1, answers: 2, helpfulAnswers: 1, acceptedAnswers: 0, endorsedAnswers: 0 } });
      const revoked = await c.store.updateMember({ id: v.id, patch: { updatedAt: at(3), verified: undefined, lastActiveAt: at(3), activeDays: ['2025-01-01'] } });
      assert.equal(revoked?.verified, undefined);
      assert.equal('verified' in revoked!, false, 'the field is gone, not kept as undefined');
      assert.equal(revoked?.reputation, 15);
      assert.deepEqual(revoked?.activeDays, ['2025-01-01']);
      assert.deepEqual(await c.store.getVisitor({ id: v.id }), revoked);
      assert.equal(await c.store.updateMember({ id: 'nobody', patch: { updatedAt: at(3), reputation: 5 } }), undefined);

      const reopened = await c.reopen();
      assert.deepEqual(await reopened.getVisitor({ id: v.id }), revoked);
    });

    it('finds an officer by username, and no longer by a username that was changed', async (t) => {
      t.after(c.done);
      const officer = await c.store.createVisitor({ visitor: visitor({ role: 'officer', username: 'siti' }) });
      await c.store.createVisitor({ visitor: visitor() });
      assert.deepEqual(await c.store.findMemberByUsername({ username: 'siti' }), officer);
      const renamed = await c.store.updateMember({ id: officer.id, patch: { updatedAt: at(5), username: 'siti.rahma' } });
      assert.equal(await c.store.findMemberByUsername({ username: 'siti' }), undefined);
      assert.deepEqual(await c.store.findMemberByUsername({ username: 'siti.rahma' }), renamed);
      assert.equal(await c.store.findMemberByUsername({ username: 'nobody' }), undefined);
      await c.reopen();
      assert.deepEqual(await c.store.findMemberByUsername({ username: 'siti.rahma' }), renamed);
      assert.equal(await c.store.findMemberByUsername({ username: 'siti' }), undefined);
    });

    it('gets the members that exist, skipping unknown ids, as copies', async (t) => {
      t.after(c.done);
      const a = await c.store.createVisitor({ visitor: visitor({ profile: { instansi: 'BKN' } }) });
      const b = await c.store.createVisitor({ visitor: visitor() });
      const got = await c.store.getMembers({ ids: ['nobody', a.id, b.id, 'ghost'] });
      assert.deepEqual([...got].sort((x, y) => x.id.localeCompare(y.id)), [a, b].sort((x, y) => x.id.localeCompare(y.id)));
      assert.deepEqual(await c.store.getMembers({ ids: [] }), []);
      got.find((m) => m.id === a.id)!.profile!.instansi = 'changed by caller';
      assert.equal((await c.store.getVisitor({ id: a.id }))?.profile?.instansi, 'BKN');
    });

    it('lists the threads and posts a member wrote, in seq order', async (t) => {
      t.after(c.done);
      const mine1 = await c.store.createThread({ thread: newThread({ authorId: 'v-me' }) });
      const theirs = await c.store.createThread({ thread: newThread({ authorId: 'v-other' }) });
      const p1 = await c.store.createPost({ post: newPost(theirs.record.id, { authorId: 'v-me' }) });
      await c.store.createPost({ post: newPost(theirs.record.id, { authorId: 'v-other' }) });
      const mine2 = await c.store.createThread({ thread: newThread({ authorId: 'v-me' }) });
      const p2 = await c.store.createPost({ post: newPost(mine1.record.id, { authorId: 'v-me' }) });
      const activity = await c.store.activityOf({ memberId: 'v-me' });
      assert.deepEqual(activity.threads.map((th) => th.id), [mine1.record.id, mine2.record.id]);
      assert.deepEqual(activity.posts, [p1!.record, p2!.record]);
      assert.equal(activity.threads[0].answerCount, 1, 'threads as they are now');
      assert.deepEqual(await c.store.activityOf({ memberId: 'v-nobody' }), { threads: [], posts: [] });
      activity.posts[0].body = 'changed by caller';
      assert.notEqual((await c.store.getPost({ id: p1!.record.id }))?.body, 'changed by caller');
    });
  });

}
