/**
 * Run by crash.test.ts: `node --import tsx crash-child.ts <dir> <round>`. Commits as fast as it can
 * and prints each clientId on stdout only after its commit resolved, until it is killed. Each new thread
 * but the first also gets a follow-up, printed as `fu <threadId> <tracking>` once acknowledged.
 * stdout is a pipe, and pipe writes are synchronous on Linux, so a printed line is never lost.
 */
import { JsonStore } from '../../../server/store/json-store.js';
import type { AuthorUpdate } from '../../../server/store/store.js';
import { newFollowUp, newPost, newThread } from './contract.js';

const [dir, round] = process.argv.slice(2);
const authorId = 'crash-author';
// Small, so that snapshots, rotations and segment removals happen while the parent kills us.
const store = new JsonStore({ dir, snapshotEvery: 400 });
await store.open();

const at = new Date(0).toISOString();
if (!(await store.getVisitor({ id: authorId }))) await store.createVisitor({ visitor: { id: authorId, name: 'Penguji', createdAt: at, updatedAt: at } });
// What the service does: each post counts in its author's stats, committed with the post.
const counted = (field: 'questions' | 'answers'): AuthorUpdate => (author) => {
  const stats = { questions: 0, answers: 0, helpfulAnswers: 0, acceptedAnswers: 0, endorsedAnswers: 0, ...author.stats };
  stats[field] += 1;
  return { stats, updatedAt: at };
};

// Ids made per round: contract.ts numbers its ids per process, and every round is a new process.
const { record: thread } = await store.createThread({ thread: newThread({ id: `r${round}-thread`, authorId, clientId: `r${round}-thread` }), authorUpdate: counted('questions') });
process.stdout.write(`r${round}-thread\nready\n`);

let next = 0;
async function poster(): Promise<never> {
  for (;;) {
    const clientId = `r${round}-${next++}`;
    if (next % 25 === 0) {
      const { record } = await store.createThread({ thread: newThread({ id: clientId, authorId, clientId }), authorUpdate: counted('questions') });
      process.stdout.write(`${clientId}\n`);
      // One count for every round: the numbers must go on across kills without a gap or a repeat.
      const opened = await store.openFollowUp({ followUp: newFollowUp(record), prefix: 'KR1', year: 2025 });
      process.stdout.write(`fu ${record.id} ${opened!.followUp.tracking}\n`);
      continue;
    }
 await store.createPost({ post: newPost(thread.id, { id: clientId, authorId, clientId }), authorUpdate: counted('answers') });
    process.stdout.write(`${clientId}\n`);
  }
}
await Promise.all(Array.from({ length: 16 }, poster));
