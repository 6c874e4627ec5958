import { nanoid } from 'nanoid';
import type { MyVerificationView, PostView, ProfileView, ThreadView } from '../protocol.js';
import type { Store } from '../store/store.js';
import { DomainError } from './errors.js';
import type { MemberDirectory } from './members.js';
import type { FlagReason, Post, VerificationRequest, Visitor } from './model.js';
import { maskNip, parseNip } from './nip.js';
import type { Limiter } from './rate-limit.js';
import { cleanText } from './rules.js';
import type { Actor, ConsultationService } from './service.js';
import { flagWeight, isNewMember, profileView, voteCounts, voteLocked } from './trust.js';
import { postView, threadView } from './views.js';

export interface TrustServiceOptions {
  store: Store;
  consultation: ConsultationService;
  now?: () => number;
  newId?: () => string;
}

const profileField = (field: string, raw: string) => cleanText(field, raw, 0, 120, false);

/**
 * Member trust: profiles, votes, accepted answers, flags and verification requests. Every level and
 * reputation figure is derived from stored records; nothing a client sends sets them. What officers
 * do lives in officer-service.ts.
 */
export class TrustService {
  readonly #store: Store;
  readonly #consultation: ConsultationService;
  readonly #members: MemberDirectory;
  readonly #limiter: Limiter;
  readonly #now: () => number;
  readonly #newId: () => string;
  readonly #flagListeners = new Set<(post: Post) => void>();

  constructor(options: TrustServiceOptions) {
    this.#store = options.store;
    this.#consultation = options.consultation;
    this.#members = options.consultation.members;
    this.#limiter = options.consultation.limiter;
    this.#now = options.now ?? Date.now;
    this.#newId = options.newId ?? (() => nanoid(16));
  }

  get #rules() {
    return this.#members.rules;
  }

  // ---- profiles ----------------------------------------------------------------------------------

  async profile(memberId: string): Promise<ProfileView> {
    const [member] = await this.#store.getMembers({ ids: [memberId] });
    if (!member) throw new DomainError('visitor_not_found', 'Member not found');
    return profileView(member, this.#now(), this.#rules);
  }

  async updateProfile(
    actor: Actor,
    input: { name?: string; instansi?: string; jabatan?: string; bidang?: string; yearsExperience?: number | null },
  ): Promise<ProfileView> {
    await this.#limiter.take(`profile:m:${actor.visitor.id}`, this.#rules.limits.profile.member);
    const profile = { ...(actor.visitor.profile ?? {}) };
    for (const field of ['instansi', 'jabatan', 'bidang'] as const) {
      const raw = input[field];
      if (raw === undefined) continue;
      const clean = profileField(field, raw);
      if (clean) profile[field] = clean;
      else delete profile[field];
    }
    if (input.yearsExperience === null) delete profile.yearsExperience;
    else if (input.yearsExperience !== undefined) profile.yearsExperience = input.yearsExperience;
    const patch: Partial<Visitor> = { profile };
    if (input.name !== undefined) patch.name = this.#consultation.memberName(input.name, actor.visitor);
    const updated = await this.#members.update(actor.visitor, patch);
    return profileView(updated, this.#now(), this.#rules);
  }

  // ---- votes, acceptance, flags ------------------------------------------------------------------

  /**
   * Calls `listener` with the answer after each stored flag. A flag that does not hide the answer changes no
   * post and so makes no store event; the follow-up queue (whose `flagged` rule counts any flag) hears it here.
   */
  onFlag(listener: (post: Post) => void): () => void {
    this.#flagListeners.add(listener);
    return () => this.#flagListeners.delete(listener);
  }

  /** Casts (1, -1), changes or withdraws (0) a member's vote on an answer. */
  async vote(actor: Actor, postId: string, value: 1 | -1 | 0): Promise<{ post: PostView; myVote: 1 | -1 | 0 }> {
    const post = await this.#answer(actor, postId);
    const voter = actor.visitor;
    if (post.authorId === voter.id) throw new DomainError('self_vote', 'You cannot rate your own answer');
    if (post.hidden) throw new DomainError('answer_hidden', 'This answer is hidden pending review');
    const now = this.#now();
    const existing = await this.#store.getVote({ postId, voterId: voter.id });
    if (existing && existing.value === value) throw new DomainError('already_voted', 'You already gave this vote');
    if (!existing && value === 0) throw new DomainError('already_voted', 'There is no vote to withdraw');
    if (existing && voteLocked(existing, post, now, this.#rules)) {
      throw new DomainError('vote_locked', `Votes lock ${this.#rules.voteLockMinutes} minutes after they are cast unless the answer is edited`);
    }
    await this.#limitVote(actor, !existing);
    const at = new Date(now).toISOString();
    const result =
      value === 0
        ? await this.#store.putVote({ remove: { postId, voterId: voter.id, at } })
        : await this.#store.putVote({
            vote: {
              postId,
              threadId: post.threadId,
              site: post.site,
              voterId: voter.id,
              authorId: post.authorId,
              value,
              castAt: at,
              counts: voteCounts(voter, now, this.#rules),
            },
          });
    if (!result) throw new DomainError('post_not_found', 'Answer not found');
    await this.#members.touch(voter);
    const thread = await this.#store.getThreadRecord({ id: post.threadId });
    await this.#members.refreshAll([post.authorId, ...(thread ? [thread.authorId] : [])]);
    return { post: await this.#view(result.post), myVote: value };
  }

  /** The asker marks one answer as "Jawaban terbaik", changes it, or clears it (null). */
  async accept(actor: Actor, threadId: string, postId: string | null): Promise<ThreadView> {
    const thread = await this.#store.getThreadRecord({ id: threadId });
    if (!thread) throw new DomainError('thread_not_found', 'Thread not found');
    this.#consultation.siteFor(thread.site, actor.origin);
    if (actor.site !== undefined && actor.site !== thread.site) throw new DomainError('thread_not_found', 'Thread not found');
    if (thread.authorId !== actor.visitor.id) throw new DomainError('not_asker', 'Only the asker can choose the best answer');
    let post: Post | undefined;
    if (postId !== null) {
      post = await this.#store.getPost({ id: postId });
      if (!post || post.threadId !== threadId) throw new DomainError('not_an_answer', 'That post is not an answer of this thread', { field: 'postId' });
      if (post.hidden) throw new DomainError('answer_hidden', 'This answer is hidden pending review');
    }
    if ((thread.acceptedPostId ?? null) === postId) return this.#threadView(thread);
    const previous = thread.acceptedPostId ? await this.#store.getPost({ id: thread.acceptedPostId }) : undefined;
    const result = await this.#store.setAccepted({ threadId, postId, at: this.#iso() });
    if (!result) throw new DomainError('thread_not_found', 'Thread not found');
    await this.#members.refreshAll([...(previous ? [previous.authorId] : []), ...(post ? [post.authorId] : [])]);
    return this.#threadView(result.thread);
  }

  /**
   * Reports an answer; enough weighted flags hide it until an officer reviews it. Flags of members whose votes
   * would not count yet weigh nothing, and an official answer is never hidden: its flags only put it on the
   * officers' review list.
   */
  async flag(actor: Actor, postId: string, reason: FlagReason): Promise<{ hidden: boolean }> {
    const post = await this.#answer(actor, postId);
    if (post.authorId === actor.visitor.id) throw new DomainError('forbidden', 'You cannot report your own answer');
    const flags = await this.#store.flagsFor({ postId });
    if (flags.some((f) => f.memberId === actor.visitor.id)) throw new DomainError('already_flagged', 'You already reported this answer');
    if (post.hidden?.status === 'removed') throw new DomainError('answer_hidden', 'This answer was already removed');
    const limits = this.#rules.limits.flag;
    await this.#limiter.take(`flag:m:${actor.visitor.id}`, limits.member);
    if (actor.ip) await this.#limiter.take(`flag:ip:${actor.ip}`, limits.ip);
    await this.#limiter.takeDaily(`flag:day:${actor.visitor.id}`, limits.daily);
    const now = this.#now();
    const weight = voteCounts(actor.visitor, now, this.#rules) ? flagWeight(actor.visitor, now, this.#rules) : 0;
    const all = await this.#store.addFlag({ flag: { postId, memberId: actor.visitor.id, reason, weight, at: new Date(now).toISOString() } });
    await this.#members.touch(actor.visitor);
    for (const listener of this.#flagListeners) listener(post);
    const total = all.reduce((sum, f) => sum + f.weight, 0);
    if (post.hidden || post.official || total < this.#rules.flags.hideAtWeight) return { hidden: Boolean(post.hidden) };
    await this.#store.updatePost({ id: postId, patch: { hidden: { reason: topReason(all), at: new Date(now).toISOString(), status: 'pending' } } });
    await this.#members.refresh(post.authorId);
    return { hidden: true };
  }

  // ---- verification ------------------------------------------------------------------------------

  /**
   * The member's latest request and what became of it. An approved request whose badge the member no longer
   * holds was revoked: when and why come from the revocation's audit entry.
   */
  async myVerification(actor: Actor): Promise<MyVerificationView> {
    const [latest] = await this.#store.listVerificationRequests({ memberId: actor.visitor.id, limit: 1 });
    if (!latest) return { status: 'none' };
    const view: MyVerificationView = { status: latest.status, nipMasked: maskNip(latest.nip), instansi: latest.instansi, jabatan: latest.jabatan };
    if (latest.decidedAt) view.decidedAt = latest.decidedAt;
    if (latest.decisionNote) view.decisionNote = latest.decisionNote;
    const [member] = await this.#store.getMembers({ ids: [actor.visitor.id] });
    if (latest.status === 'approved' && member?.verified?.requestId !== latest.id) {
      view.status = 'revoked';
      const entries = await this.#store.listAudit({ memberId: actor.visitor.id, limit: 1000 });
      const revocation = entries.find((e) => e.action === 'verification.revoke' && e.details?.requestId === latest.id);
      if (revocation) view.revokedAt = revocation.at;
      if (typeof revocation?.details?.note === 'string') view.revocationNote = revocation.details.note;
    }
    return view;
  }

  async requestVerification(actor: Actor, input: { nip: string; instansi: string; jabatan: string; note?: string }): Promise<MyVerificationView> {
    if (actor.visitor.role === 'officer') throw new DomainError('forbidden', 'Officers carry the officer badge');
    if (actor.visitor.verified) throw new DomainError('already_verified', 'You are already verified');
    const { nip } = parseNip(input.nip, new Date(this.#now()));
    const instansi = cleanText('instansi', input.instansi, 3, 120, false);
    const jabatan = cleanText('jabatan', input.jabatan, 3, 120, false);
    const note = input.note === undefined ? undefined : cleanText('note', input.note, 0, 1000, true);
    const [latest] = await this.#store.listVerificationRequests({ memberId: actor.visitor.id, limit: 1 });
    if (latest?.status === 'pending') throw new DomainError('verification_pending', 'A request is already waiting for an officer');
    await this.#limiter.take(`profile:m:${actor.visitor.id}`, this.#rules.limits.profile.member);
    const request: VerificationRequest = {
      id: this.#newId(),
      memberId: actor.visitor.id,
      nip,
      instansi,
      jabatan,
      status: 'pending',
      createdAt: this.#iso(),
      ...(note ? { note } : {}),
    };
    await this.#store.createVerificationRequest({ request });
    return this.myVerification(actor);
  }

  // ---- helpers -----------------------------------------------------------------------------------

  async #answer(actor: Actor, postId: string): Promise<Post> {
    const post = await this.#store.getPost({ id: postId });
    if (!post) throw new DomainError('post_not_found', 'Answer not found');
    this.#consultation.siteFor(post.site, actor.origin);
    if (actor.site !== undefined && actor.site !== post.site) throw new DomainError('post_not_found', 'Answer not found');
    return post;
  }

  async #limitVote(actor: Actor, isNew: boolean): Promise<void> {
    if (actor.visitor.role === 'officer') return;
    const limits = this.#rules.limits.vote;
    const fresh = isNewMember(actor.visitor, this.#now(), this.#rules);
    await this.#limiter.take(`vote:m:${actor.visitor.id}`, fresh ? limits.newMember : limits.member);
    if (actor.ip) await this.#limiter.take(`vote:ip:${actor.ip}`, limits.ip);
    // Changing one's mind is not a new vote for the daily limit.
    if (isNew) await this.#limiter.takeDaily(`vote:day:${actor.visitor.id}`, fresh ? limits.newMemberDaily : limits.daily);
  }

  async #view(post: Post, full = false): Promise<PostView> {
    const people = await this.#members.summaries(post.endorsedBy ? [post.authorId, post.endorsedBy] : [post.authorId]);
    return postView(post, people, undefined, full);
  }

  async #threadView(thread: Parameters<typeof threadView>[0]): Promise<ThreadView> {
    return threadView(thread, await this.#members.summaries([thread.authorId]));
  }

  #iso(): string {
    return new Date(this.#now()).toISOString();
  }
}

function topReason(flags: Array<{ reason: FlagReason; weight: number }>): FlagReason {
  const by = new Map<FlagReason, number>();
  for (const f of flags) by.set(f.reason, (by.get(f.reason) ?? 0) + f.weight);
  return [...by.entries()].sort((a, b) => b[1] - a[1])[0]![0];
}

