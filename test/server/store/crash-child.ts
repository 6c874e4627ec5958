/**
 * Run by crash.test.ts: `node --import tsx crash-child.ts <dir> <round>`. Commits as fast as it can
 * and prints each clientId on stdout only after its commit resolved, until it is killed.
 * stdout is a pipe, and pipe writes are synchronous on Linux, so a printed line is never lost.
 */
import { JsonStore } from '../../../server/store/json-store.js';
import { newPost, newThread } from './contract.js';

const [dir, round] = process.argv.slice(2);
const authorId = 'crash-author';
// Small, so that snapshots, rotations and segment removals happen while the parent kills us.
const store = new JsonStore({ dir, snapshotEvery: 400 });
await store.open();

const { record: thread } = await store.createThread({ thread: newThread({ authorId, clientId: `r${round}-thread` }) });
process.stdout.write(`r${round}-thread\nready\n`);

let next = 0;
async function poster(): Promise<never> {
  for (;;) {
    const clientId = `r${round}-${next++}`;
    if (next % 25 === 0) await store.createThread({ thread: newThread({ authorId, clientId }) });
    else await store.createPost({ post: newPost(thread.id, { authorId, clientId }) });
    process.stdout.write(`${clientId}\n`);
  }
}
await Promise.all(Array.from({ length: 16 }, poster));
