/** A new thread or answer and its author's counts: one commit (one journal record, one transaction). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Visitor } from '../../../../server/domain/model.js';
import type { AuthorUpdate } from '../../../../server/store/store.js';
import type { ContractContext } from './context.js';
import { at, newPost, newThread, visitor } from './fixtures.js';

export function authorUpdateContract(c: ContractContext): void {
  describe("the author's record, committed with the post", () => {
    const stats = (author: Visitor) => ({ questions: 0, answers: 0, helpfulAnswers: 0, acceptedAnswers: 0, endorsedAnswers: 0, ...author.stats });
    const countQuestion: AuthorUpdate = (author) => ({ updatedAt: at(30), stats: { ...stats(author), questions: stats(author).questions + 1 } });
    const countAnswer: AuthorUpdate = (author) => ({ updatedAt: at(31), stats: { ...stats(author), answers: stats(author).answers + 1 }, lastActiveAt: at(31) });

    it('applies the update with the post, worked out from the author with the writes in flight, and keeps it across reopen', async (t) => {
      t.after(c.done);
      const author = await c.store.createVisitor({ visitor: visitor({ name: 'Dewi' }) });
      const asked = await c.store.createThread({ thread: newThread({ authorId: author.id }), authorUpdate: countQuestion });
      assert.equal(asked.author?.stats?.questions, 1);
      const answers = await Promise.all(
        Array.from({ length: 10 }, () => c.store.createPost({ post: newPost(asked.record.id, { authorId: author.id }), authorUpdate: countAnswer })),
      );
      assert.deepEqual(answers.map((a) => a?.author?.stats?.answers).sort((x, y) => x! - y!), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 'each saw the ones before it');
      const stored = await c.store.getVisitor({ id: author.id });
      assert.deepEqual(stored?.stats, { questions: 1, answers: 10, helpfulAnswers: 0, acceptedAnswers: 0, endorsedAnswers: 0 });
      assert.equal(stored?.lastActiveAt, at(31));

      const retry = await c.store.createPost({ post: newPost(asked.record.id, { authorId: author.id, clientId: answers[0]!.record.clientId }), authorUpdate: countAnswer });
      assert.equal(retry?.created, false);
      assert.equal(retry?.author, undefined);
      const unchanged = await c.store.createPost({ post: newPost(asked.record.id, { authorId: author.id }), authorUpdate: () => undefined });
      assert.equal(unchanged?.author, undefined, 'an update with nothing to change writes nothing');
      assert.deepEqual(await c.store.getVisitor({ id: author.id }), stored);

      const reopened = await c.reopen();
      assert.deepEqual(await reopened.getVisitor({ id: author.id }), stored);
    });

    it('changes nothing when the post is not made (unknown thread) or the author is unknown', async (t) => {
      t.after(c.done);
      const author = await c.store.createVisitor({ visitor: visitor() });
      let asked = 0;
      assert.equal(await c.store.createPost({ post: newPost('no-such-thread', { authorId: author.id }), authorUpdate: () => (asked++, { updatedAt: at(9), reputation: 99 }) }), undefined);
      assert.equal(asked, 0);
      assert.deepEqual(await c.store.getVisitor({ id: author.id }), author);
      const ghost = await c.store.createThread({ thread: newThread({ authorId: 'v-ghost' }), authorUpdate: countQuestion });
      assert.equal(ghost.created, true);
      assert.equal(ghost.author, undefined);
      assert.equal(await c.store.getVisitor({ id: 'v-ghost' }), undefined);
    });
  });
}
