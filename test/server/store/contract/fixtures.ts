/** Records to feed the store contract, and the shared "write one of everything" fixture. */
import type { NewPost, NewThread, Post, Visitor, Vote } from '../../../../server/domain/model.js';
import type { Store } from '../../../../server/store/store.js';

let counter = 0;
export const unique = (prefix: string) => `${prefix}-${++counter}`;
export const at = (minute: number) => new Date(Date.UTC(2025, 0, 1, 8, minute)).toISOString();

export function newThread(over: Partial<NewThread> = {}): NewThread {
  const id = unique('t');
  return {
    id,
    site: 'kanreg-1',
    title: `Kenaikan pangkat ${id}`,
    body: 'Kapan usulan kenaikan pangkat periode April diproses?',
    category: 'kenaikan-pangkat',
    authorId: 'v-ani',
    authorName: 'Ani',
    clientId: unique('c'),
    createdAt: at(0),
    lastActivityAt: at(0),
    answerCount: 0,
    ...over,
  };
}

export function newPost(threadId: string, over: Partial<NewPost> = {}): NewPost {
  return {
    id: unique('p'),
    threadId,
    site: 'kanreg-1',
    body: 'Usulan diproses setelah berkas lengkap di SIASN.',
    authorId: 'v-budi',
    authorName: 'Budi',
    clientId: unique('c'),
    createdAt: at(5),
    ...over,
  };
}

export function vote(post: Post, voterId: string, value: 1 | -1, over: Partial<Vote> = {}): Vote {
  return { postId: post.id, threadId: post.threadId, site: post.site, voterId, authorId: post.authorId, value, castAt: at(40), counts: true, ...over };
}

export function visitor(over: Partial<Visitor> = {}): Visitor {
  return { id: unique('v'), name: 'Sari', createdAt: at(0), updatedAt: at(0), ...over };
}

/**
 * Writes one of every kind of trust record and returns the ids to read them back by: the shared
 * fixture for "survives reopen / crash" checks.
 */
export async function seedTrust(store: Store) {
  const officer = await store.createVisitor({ visitor: visitor({ name: 'Petugas', role: 'officer', username: 'petugas1' }) });
  const member = await store.createVisitor({ visitor: visitor({ name: 'Ani' }) });
  await store.updateMember({
    id: member.id,
    patch: { updatedAt: at(1), profile: { instansi: 'Pemkab Sleman', jabatan: 'Analis SDM', yearsExperience: 4 }, reputation: 12, activeDays: ['2025-01-01'] },
  });
  const { record: thread } = await store.createThread({ thread: newThread({ authorId: member.id }) });
  const answer = (await store.createPost({ post: newPost(thread.id, { authorId: officer.id, official: true }) }))!.record;
  const other = (await store.createPost({ post: newPost(thread.id, { authorId: 'v-budi' }) }))!.record;
  await store.putVote({ vote: vote(answer, member.id, 1) });
  await store.putVote({ vote: vote(answer, 'v-citra', 1) });
  await store.putVote({ vote: vote(other, member.id, -1) });
  await store.putVote({ vote: vote(other, 'v-dedi', 1) });
  await store.putVote({ remove: { postId: other.id, voterId: 'v-dedi', at: at(41) } });
  await store.updatePost({ id: answer.id, patch: { endorsedBy: officer.id, endorsedAt: at(42) } });
  await store.updatePost({ id: other.id, patch: { body: 'Diedit: berkas harus lengkap.', editedAt: at(43) } });
  await store.updatePost({ id: other.id, patch: { hidden: { reason: 'spam', at: at(44), status: 'pending' } } });
  await store.setAccepted({ threadId: thread.id, postId: answer.id, at: at(45) });
  await store.addFlag({ flag: { postId: other.id, memberId: member.id, reason: 'spam', weight: 1, at: at(44) } });
  await store.addFlag({ flag: { postId: answer.id, memberId: 'v-citra', reason: 'salah_informasi', weight: 2, at: at(44) } });
  await store.clearFlags({ postId: answer.id });
  const request = await store.createVerificationRequest({
    request: { id: unique('vr'), memberId: member.id, nip: '198001012005011001', instansi: 'Pemkab Sleman', jabatan: 'Analis SDM', status: 'pending', createdAt: at(46) },
  });
  await store.decideVerificationRequest({ id: request.id, status: 'approved', decidedAt: at(47), decidedBy: officer.id, decisionNote: 'NIP cocok' });
  await store.createVerificationRequest({
    request: { id: unique('vr'), memberId: 'v-budi', nip: '199001012015011002', instansi: 'BKN', jabatan: 'Pranata', status: 'pending', createdAt: at(48) },
  });
  await store.appendAudit({ entry: { id: unique('a'), at: at(47), officerId: officer.id, action: 'verification.approve', memberId: member.id, details: { requestId: request.id } } });
  await store.appendAudit({ entry: { id: unique('a'), at: at(49), officerId: officer.id, action: 'post.endorse', postId: answer.id } });
  return { officerId: officer.id, memberId: member.id, threadId: thread.id, postIds: [answer.id, other.id] };
}

/** Everything a reader could see of what seedTrust wrote. */
export async function readTrust(store: Store, seeded: Awaited<ReturnType<typeof seedTrust>>) {
  const { officerId, memberId, threadId, postIds } = seeded;
  return {
    members: await store.getMembers({ ids: [officerId, memberId] }),
    byUsername: await store.findMemberByUsername({ username: 'petugas1' }),
    activity: await store.activityOf({ memberId: officerId }),
    thread: await store.getThread({ id: threadId }),
    posts: await Promise.all(postIds.map((id) => store.getPost({ id }))),
    vote: await store.getVote({ postId: postIds[0], voterId: memberId }),
    votesFor: await store.votesFor({ authorId: officerId }),
    votesBy: await store.votesBy({ voterId: memberId }),
    votesInThreads: await store.votesInThreads({ threadIds: [threadId] }),
    allVotes: await store.allVotes(),
    flags: await Promise.all(postIds.map((postId) => store.flagsFor({ postId }))),
    hidden: await store.hiddenPosts({ status: 'pending', limit: 10 }),
    requests: await store.listVerificationRequests({ limit: 10 }),
    audit: await store.listAudit({ limit: 10 }),
    seq: await store.currentSeq({ site: 'kanreg-1' }),
    events: await store.eventsSince({ site: 'kanreg-1', afterSeq: 0, limit: 100 }),
  };
}
