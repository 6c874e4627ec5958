/** Listing a site's threads: order, filters, word search, paging. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContractContext } from './context.js';
import { newPost, newThread } from './fixtures.js';

export function listingContract(c: ContractContext): void {
  describe('listing threads', () => {
    async function seed(): Promise<string[]> {
      const ids: string[] = [];
      const titles = ['Cuti besar PNS', 'Gaji PPPK terlambat', 'Mutasi antar instansi', 'Cuti melahirkan PPPK', 'Pensiun dini'];
      for (const title of titles) ids.push((await c.store.createThread({ thread: newThread({ title, body: 'Mohon penjelasan.' }) })).record.id);
      await c.store.createPost({ post: newPost(ids[1]) }); // "Gaji PPPK terlambat" is answered
      await c.store.createThread({ thread: newThread({ site: 'kanreg-2', title: 'Cuti di situs lain' }) });
      return ids;
    }

    it('lists a site newest first, with filters for unanswered and answered', async (t) => {
      t.after(c.done);
      const ids = await seed();
      const all = await c.store.listThreads({ site: 'kanreg-1', filter: 'all', limit: 10 });
      assert.deepEqual(all.threads.map((th) => th.id), [...ids].reverse());
      assert.equal(all.nextBeforeSeq, undefined);
      const answered = await c.store.listThreads({ site: 'kanreg-1', filter: 'answered', limit: 10 });
      assert.deepEqual(answered.threads.map((th) => th.title), ['Gaji PPPK terlambat']);
      assert.equal(answered.threads[0].answerCount, 1);
      const unanswered = await c.store.listThreads({ site: 'kanreg-1', filter: 'unanswered', limit: 10 });
      assert.deepEqual(unanswered.threads.map((th) => th.title), ['Pensiun dini', 'Cuti melahirkan PPPK', 'Mutasi antar instansi', 'Cuti besar PNS']);
    });

    it('keeps threads whose title or body has every word, ignoring case', async (t) => {
      t.after(c.done);
      await seed();
      const pppk = await c.store.listThreads({ site: 'kanreg-1', filter: 'all', limit: 10, words: ['pppk'] });
      assert.deepEqual(pppk.threads.map((th) => th.title), ['Cuti melahirkan PPPK', 'Gaji PPPK terlambat']);
      const both = await c.store.listThreads({ site: 'kanreg-1', filter: 'all', limit: 10, words: ['CUTI', 'pppk'] });
      assert.deepEqual(both.threads.map((th) => th.title), ['Cuti melahirkan PPPK']);
      const inBody = await c.store.listThreads({ site: 'kanreg-1', filter: 'all', limit: 10, words: ['penjelasan'] });
      assert.equal(inBody.threads.length, 5);
      const none = await c.store.listThreads({ site: 'kanreg-1', filter: 'all', limit: 10, words: ['cuti', 'gaji'] });
      assert.deepEqual(none.threads, []);
    });

    it('pages with beforeSeq and says when more remain', async (t) => {
      t.after(c.done);
      const ids = await seed();
      const seen: string[] = [];
      let page = await c.store.listThreads({ site: 'kanreg-1', filter: 'all', limit: 2 });
      const pages = [page.threads.length];
      seen.push(...page.threads.map((th) => th.id));
      while (page.nextBeforeSeq !== undefined) {
        page = await c.store.listThreads({ site: 'kanreg-1', filter: 'all', limit: 2, beforeSeq: page.nextBeforeSeq });
        pages.push(page.threads.length);
        seen.push(...page.threads.map((th) => th.id));
      }
      assert.deepEqual(pages, [2, 2, 1]);
      assert.deepEqual(seen, [...ids].reverse());
    });

    it('gives an empty page for a site without threads', async (t) => {
      t.after(c.done);
      assert.deepEqual(await c.store.listThreads({ site: 'nowhere', filter: 'all', limit: 10 }), { threads: [] });
    });
  });

}
