import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { JsonStore } from '../../../server/store/json-store.js';

const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
const ROUNDS = 5;

/** Starts the child, lets it commit for a random while after it is ready, then SIGKILLs it. */
async function runAndKill(dir: string, round: number): Promise<string[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, String(round)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));

  const deadline = Date.now() + 20_000;
  while (!out.includes('ready\n')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`child did not get ready: ${err}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  await new Promise((r) => setTimeout(r, 50 + Math.random() * 350));
  child.kill('SIGKILL');
  await exited;
  assert.equal(child.signalCode, 'SIGKILL', `child stopped by itself: ${err}`);
  // Only whole lines count: a line cut by the kill was never fully printed.
  return out.split('\n').slice(0, -1).filter((line) => line !== 'ready');
}

describe('kill -9 while committing', () => {
  it('loses no acknowledged write or tracking number, repeats none, and always reopens cleanly', async (t) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'osg-crash-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    let total = 0;
    let tornRounds = 0;
    let followUps = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const lines = await runAndKill(dir, round);
      const acked = lines.filter((line) => !line.startsWith('fu '));
      const ackedFollowUps = lines.filter((line) => line.startsWith('fu ')).map((line) => line.split(' ').slice(1) as [string, string]);
      total += acked.length;
      followUps += ackedFollowUps.length;

      let torn = false;
      const store = new JsonStore({ dir, log: (level) => void (level === 'warn' && (torn = true)) });
      await store.open(); // throws StoreCorruptError if the kill left unreadable data
      const missing: string[] = [];
      for (const clientId of acked) {
        if (!(await store.findByClientId({ authorId: 'crash-author', clientId }))) missing.push(clientId);
      }
      const thread = await store.findByClientId({ authorId: 'crash-author', clientId: `r${round}-thread` });
      const read = await store.getThread({ id: thread!.thread!.id });
      assert.deepEqual(read!.posts.map((p, i) => p.seq > (read!.posts[i - 1]?.seq ?? 0)).filter((ok) => !ok), [], 'posts stay in seq order');
      const activity = await store.activityOf({ memberId: 'crash-author' });
      const stats = (await store.getVisitor({ id: 'crash-author' }))?.stats;
      assert.deepEqual(
        { questions: stats?.questions, answers: stats?.answers },
        { questions: activity.threads.length, answers: activity.posts.length },
        `round ${round}: the author's counts match the posts kept (each post and its count are one record)`,
      );
      for (const [threadId, tracking] of ackedFollowUps) {
        if ((await store.getFollowUp({ threadId }))?.tracking !== tracking) missing.push(tracking);
      }
      const kept = await store.activeFollowUps();
      const numbers = kept.map((f) => Number(f.tracking.slice(-6))).sort((a, b) => a - b);
      assert.deepEqual(numbers, numbers.map((_, i) => i + 1), `round ${round}: tracking numbers run 1…${numbers.length} without a gap or a repeat`);
      for (const f of kept) {
        assert.deepEqual((await store.getThreadRecord({ id: f.threadId }))?.followUp, { tracking: f.tracking, status: f.status }, 'a follow-up and its thread are one record');
      }
      await store.close();

      assert.deepEqual(missing, [], `round ${round}: ${missing.length} of ${acked.length} acknowledged writes are missing`);
      if (torn) tornRounds++;
    }
    t.diagnostic(`${total} acknowledged writes and ${followUps} follow-ups over ${ROUNDS} kills; ${tornRounds} rounds left a torn tail`);
    assert.ok(total > ROUNDS * 10, `the child acknowledged only ${total} writes, too few to mean anything`);
  });
});
