import { nanoid } from 'nanoid';
import type {
  AuditEntryView,
  FlaggedPostView,
  MyVerificationView,
  OfficerLoginResponse,
  OfficerMemberView,
  PostView,
  ProfileView,
  ThreadView,
  VerificationRequestView,
} from '../protocol.js';
import type { Store } from '../store/store.js';
import { DomainError } from './errors.js';
import type { MemberDirectory } from './members.js';
import type { AuditAction, FlagReason, Post, VerificationRequest, Visitor } from './model.js';
import { maskNip, parseNip } from './nip.js';
import { verifyPassword } from './passwords.js';
import type { RateLimiter } from './rate-limit.js';
import { cleanName, cleanText } from './rules.js';
import type { Actor, ConsultationService } from './service.js';
import type { TokenSigner } from './tokens.js';
import { flagWeight, isNewMember, profileView, voteCounts, voteLocked } from './trust.js';
import { postView, threadView } from './views.js';

/** An officer account from configuration; the password is kept only as a scrypt hash. */
export interface OfficerAccount {
  username: string;
  name: string;
  passwordHash: string;
}

export interface TrustServiceOptions {
  store: Store;
  consultation: ConsultationService;
  tokens: TokenSigner;
  officers?: OfficerAccount[];
  /** Officer sessions are short: a lost laptop should not hold the badge for months. */
  officerTokenTtlSeconds?: number;
  now?: () => number;
  newId?: () => string;
}

const officerId = (username: string) => `officer-${username}`;
const profileField = (field: string, raw: string) => cleanText(field, raw, 0, 120, false);

/**
 * Trust: votes, accepted and endorsed answers, flags, profiles, verification and officers' tools.
 * Every badge, level, role and reputation figure is derived here from stored records; nothing a
 * client sends sets them.
 */
export class TrustService {
  readonly #store: Store;
  readonly #consultation: ConsultationService;
  readonly #members: MemberDirectory;
  readonly #limiter: RateLimiter;
  readonly #tokens: TokenSigner;
  readonly #officers: Map<string, OfficerAccount>;
  readonly #officerTtl: number;
  readonly #now: () => number;
  readonly #newId: () => string;

  constructor(options: TrustServiceOptions) {
    this.#store = options.store;
    this.#consultation = options.consultation;
    this.#members = options.consultation.members;
    this.#limiter = options.consultation.limiter;
    this.#tokens = options.tokens;
    this.#officers = new Map((options.officers ?? []).map((o) => [o.username, o]));
    this.#officerTtl = options.officerTokenTtlSeconds ?? 12 * 3600;
    this.#now = options.now ?? Date.now;
    this.#newId = options.newId ?? (() => nanoid(16));
  }

  get #rules() {
    return this.#members.rules;
  }

  /** Creates or updates the member record of every configured officer (role comes from here only). */
  async syncOfficers(): Promise<void> {
    for (const account of this.#officers.values()) {
      const id = officerId(account.username);
      const [existing] = await this.#store.getMembers({ ids: [id] });
      if (!existing) {
        const at = this.#iso();
        await this.#store.createVisitor({ visitor: { id, name: account.name, createdAt: at, updatedAt: at, role: 'officer', username: account.username } });
      } else if (existing.role !== 'officer' || existing.name !== account.name || existing.username !== account.username) {
        await this.#members.update(existing, { role: 'officer', name: account.name, username: account.username });
      }
    }
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
    this.#limiter.take(`profile:m:${actor.visitor.id}`, this.#rules.limits.profile.member);
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
    if (input.name !== undefined) patch.name = cleanName(input.name);
    const updated = await this.#members.update(actor.visitor, patch);
    return profileView(updated, this.#now(), this.#rules);
  }

  // ---- votes, acceptance, flags ------------------------------------------------------------------

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
    this.#limitVote(actor, !existing);
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

  /** Reports an answer; enough weighted flags hide it until an officer reviews it. */
  async flag(actor: Actor, postId: string, reason: FlagReason): Promise<{ hidden: boolean }> {
    const post = await this.#answer(actor, postId);
    if (post.authorId === actor.visitor.id) throw new DomainError('forbidden', 'You cannot report your own answer');
    const flags = await this.#store.flagsFor({ postId });
    if (flags.some((f) => f.memberId === actor.visitor.id)) throw new DomainError('already_flagged', 'You already reported this answer');
    if (post.hidden?.status === 'removed') throw new DomainError('answer_hidden', 'This answer was already removed');
    const limits = this.#rules.limits.flag;
    this.#limiter.take(`flag:m:${actor.visitor.id}`, limits.member);
    if (actor.ip) this.#limiter.take(`flag:ip:${actor.ip}`, limits.ip);
    this.#limiter.takeDaily(`flag:day:${actor.visitor.id}`, limits.daily);
    const now = this.#now();
    const all = await this.#store.addFlag({
      flag: { postId, memberId: actor.visitor.id, reason, weight: flagWeight(actor.visitor, now, this.#rules), at: new Date(now).toISOString() },
    });
    await this.#members.touch(actor.visitor);
    const weight = all.reduce((sum, f) => sum + f.weight, 0);
    if (post.hidden || weight < this.#rules.flags.hideAtWeight) return { hidden: Boolean(post.hidden) };
    await this.#store.updatePost({ id: postId, patch: { hidden: { reason: topReason(all), at: new Date(now).toISOString(), status: 'pending' } } });
    await this.#members.refresh(post.authorId);
    return { hidden: true };
  }

  // ---- verification ------------------------------------------------------------------------------

  async myVerification(actor: Actor): Promise<MyVerificationView> {
    const [latest] = await this.#store.listVerificationRequests({ memberId: actor.visitor.id, limit: 1 });
    if (!latest) return { status: 'none' };
    const view: MyVerificationView = { status: latest.status, nipMasked: maskNip(latest.nip), instansi: latest.instansi, jabatan: latest.jabatan };
    if (latest.decidedAt) view.decidedAt = latest.decidedAt;
    if (latest.decisionNote) view.decisionNote = latest.decisionNote;
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
    this.#limiter.take(`profile:m:${actor.visitor.id}`, this.#rules.limits.profile.member);
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

  // ---- officers ----------------------------------------------------------------------------------

  async login(username: string, password: string, ip?: string): Promise<OfficerLoginResponse> {
    if (ip) this.#limiter.take(`login:ip:${ip}`, this.#rules.limits.login.ip);
    const account = this.#officers.get(username);
    // Hash even for unknown names, so that timing does not reveal which usernames exist.
    const ok = await verifyPassword(password, account?.passwordHash ?? DUMMY_HASH);
    if (!account || !ok) throw new DomainError('bad_credentials', 'Wrong username or password');
    const [member] = await this.#store.getMembers({ ids: [officerId(username)] });
    if (!member || member.role !== 'officer') throw new DomainError('bad_credentials', 'Wrong username or password');
    const { token, expiresAt } = this.#tokens.sign(member.id, this.#now(), this.#officerTtl);
    return { token, expiresAt, officer: this.#members.summary(member) };
  }

  /** The officer a token proves; any other member is refused with `forbidden`. */
  async officer(token: string | undefined): Promise<Visitor> {
    const member = await this.#consultation.authenticate(token);
    // An account taken out of configuration stops working at once, whatever its token says.
    if (member.role !== 'officer' || !member.username || !this.#officers.has(member.username)) {
      throw new DomainError('forbidden', 'Officers only');
    }
    return member;
  }

  async listRequests(status: VerificationRequest['status'] = 'pending'): Promise<VerificationRequestView[]> {
    const requests = await this.#store.listVerificationRequests({ status, limit: 200 });
    return this.#requestViews(requests);
  }

  async decide(officer: Visitor, requestId: string, decision: 'approved' | 'rejected', note?: string): Promise<VerificationRequestView> {
    const request = await this.#store.getVerificationRequest({ id: requestId });
    if (!request) throw new DomainError('request_not_found', 'Verification request not found');
    if (request.status !== 'pending') throw new DomainError('request_decided', 'This request was already decided');
    const at = this.#iso();
    const decisionNote = note === undefined ? undefined : cleanText('note', note, 0, 1000, true) || undefined;
    const decided = await this.#store.decideVerificationRequest({ id: requestId, status: decision, decidedAt: at, decidedBy: officer.id, ...(decisionNote ? { decisionNote } : {}) });
    if (!decided) throw new DomainError('request_not_found', 'Verification request not found');
    const [member] = await this.#store.getMembers({ ids: [request.memberId] });
    if (decision === 'approved' && member) {
      await this.#members.update(member, { verified: { instansi: request.instansi, jabatan: request.jabatan, at, by: officer.id, requestId } });
    }
    await this.#audit(officer, decision === 'approved' ? 'verification.approve' : 'verification.reject', { memberId: request.memberId, details: { requestId } });
    const [view] = await this.#requestViews([decided]);
    return view!;
  }

  async revoke(officer: Visitor, memberId: string, note?: string): Promise<ProfileView> {
    const [member] = await this.#store.getMembers({ ids: [memberId] });
    if (!member) throw new DomainError('visitor_not_found', 'Member not found');
    if (!member.verified) throw new DomainError('not_verified', 'This member is not verified');
    const updated = await this.#members.update(member, { verified: undefined });
    const clean = note ? cleanText('note', note, 0, 1000, true) : '';
    await this.#audit(officer, 'verification.revoke', { memberId, details: { requestId: member.verified.requestId, ...(clean ? { note: clean } : {}) } });
    return profileView(updated, this.#now(), this.#rules);
  }

  async officerMember(memberId: string): Promise<OfficerMemberView> {
    const profile = await this.profile(memberId);
    const requests = await this.#store.listVerificationRequests({ memberId, limit: 50 });
    return { profile, requests: await this.#requestViews(requests) };
  }

  async endorse(officer: Visitor, postId: string, endorsed: boolean): Promise<PostView> {
    const post = await this.#store.getPost({ id: postId });
    if (!post) throw new DomainError('post_not_found', 'Answer not found');
    if (post.authorId === officer.id) throw new DomainError('forbidden', 'Your own answer is already official');
    if (Boolean(post.endorsedAt) === endorsed) return this.#view(post);
    const patch = endorsed ? { endorsedBy: officer.id, endorsedAt: this.#iso() } : { endorsedBy: null, endorsedAt: null };
    const result = await this.#store.updatePost({ id: postId, patch });
    if (!result) throw new DomainError('post_not_found', 'Answer not found');
    await this.#audit(officer, endorsed ? 'post.endorse' : 'post.unendorse', { memberId: post.authorId, postId });
    await this.#members.refresh(post.authorId);
    return this.#view(result.post);
  }

  async flagged(status: 'pending' | 'removed' = 'pending'): Promise<FlaggedPostView[]> {
    const posts = await this.#store.hiddenPosts({ status, limit: 200 });
    const out: FlaggedPostView[] = [];
    for (const post of posts) {
      const flags = await this.#store.flagsFor({ postId: post.id });
      const thread = await this.#store.getThreadRecord({ id: post.threadId });
      const people = await this.#members.summaries([post.authorId, ...flags.map((f) => f.memberId)]);
      out.push({
        post: postView(post, people, undefined, true),
        thread: { id: post.threadId, title: thread?.title ?? '', site: post.site },
        flags: flags.map((f) => ({ reason: f.reason, weight: f.weight, at: f.at, member: people.get(f.memberId)! })).filter((f) => f.member),
      });
    }
    return out;
  }

  /** After review: `restore` clears the flags and shows the answer again; `remove` keeps it hidden for good. */
  async review(officer: Visitor, postId: string, action: 'restore' | 'remove'): Promise<PostView> {
    const post = await this.#store.getPost({ id: postId });
    if (!post) throw new DomainError('post_not_found', 'Answer not found');
    const at = this.#iso();
    const patch =
      action === 'restore'
        ? { hidden: null }
        : { hidden: { reason: post.hidden?.reason ?? 'tidak_pantas', at, status: 'removed' as const, by: officer.id } };
    const result = await this.#store.updatePost({ id: postId, patch });
    if (!result) throw new DomainError('post_not_found', 'Answer not found');
    if (action === 'restore') await this.#store.clearFlags({ postId });
    await this.#audit(officer, action === 'restore' ? 'post.restore' : 'post.remove', { memberId: post.authorId, postId });
    await this.#members.refresh(post.authorId);
    return this.#view(result.post, true);
  }

  /** Withdraws every vote a member cast (vote rings, sock puppets) and recomputes whom they touched. */
  async reverseVotes(officer: Visitor, memberId: string): Promise<{ reversed: number }> {
    const votes = await this.#store.votesBy({ voterId: memberId });
    const touched = new Set<string>();
    const at = this.#iso();
    for (const v of votes) {
      await this.#store.putVote({ remove: { postId: v.postId, voterId: memberId, at } });
      touched.add(v.authorId);
      const thread = await this.#store.getThreadRecord({ id: v.threadId });
      if (thread) touched.add(thread.authorId);
    }
    await this.#members.refreshAll(touched);
    await this.#audit(officer, 'votes.reverse', { memberId, details: { reversed: votes.length } });
    return { reversed: votes.length };
  }

  /** Recomputes every member's reputation from stored records; returns how many changed. */
  async recomputeAll(officer?: Visitor): Promise<{ members: number; changed: number; ms: number }> {
    const t0 = performance.now();
    const ids = new Set<string>();
    for (const v of await this.#store.allVotes()) ids.add(v.authorId);
    let changed = 0;
    for (const id of ids) {
      const [before] = await this.#store.getMembers({ ids: [id] });
      const after = await this.#members.refresh(id);
      if (before && after && before.reputation !== after.reputation) changed++;
    }
    const ms = Math.round(performance.now() - t0);
    if (officer) await this.#audit(officer, 'reputation.recompute', { details: { members: ids.size, changed } });
    return { members: ids.size, changed, ms };
  }

  async audit(memberId?: string, limit = 100): Promise<AuditEntryView[]> {
    const entries = await this.#store.listAudit({ ...(memberId ? { memberId } : {}), limit });
    const people = await this.#members.summaries(entries.map((e) => e.officerId));
    return entries.map((e) => ({
      id: e.id,
      at: e.at,
      officer: people.get(e.officerId) ?? { id: e.officerId, name: e.officerId, reputation: 1, level: 'baru', officer: true },
      action: e.action,
      ...(e.memberId ? { memberId: e.memberId } : {}),
      ...(e.postId ? { postId: e.postId } : {}),
      ...(e.details ? { details: e.details } : {}),
    }));
  }

  // ---- helpers -----------------------------------------------------------------------------------

  async #answer(actor: Actor, postId: string): Promise<Post> {
    const post = await this.#store.getPost({ id: postId });
    if (!post) throw new DomainError('post_not_found', 'Answer not found');
    this.#consultation.siteFor(post.site, actor.origin);
    if (actor.site !== undefined && actor.site !== post.site) throw new DomainError('post_not_found', 'Answer not found');
    return post;
  }

  #limitVote(actor: Actor, isNew: boolean): void {
    if (actor.visitor.role === 'officer') return;
    const limits = this.#rules.limits.vote;
    const fresh = isNewMember(actor.visitor, this.#now(), this.#rules);
    this.#limiter.take(`vote:m:${actor.visitor.id}`, fresh ? limits.newMember : limits.member);
    if (actor.ip) this.#limiter.take(`vote:ip:${actor.ip}`, limits.ip);
    // Changing one's mind is not a new vote for the daily limit.
    if (isNew) this.#limiter.takeDaily(`vote:day:${actor.visitor.id}`, fresh ? limits.newMemberDaily : limits.daily);
  }

  async #audit(officer: Visitor, action: AuditAction, extra: { memberId?: string; postId?: string; details?: Record<string, string | number | boolean> }): Promise<void> {
    await this.#store.appendAudit({ entry: { id: this.#newId(), at: this.#iso(), officerId: officer.id, action, ...extra } });
  }

  async #view(post: Post, full = false): Promise<PostView> {
    const people = await this.#members.summaries(post.endorsedBy ? [post.authorId, post.endorsedBy] : [post.authorId]);
    return postView(post, people, undefined, full);
  }

  async #threadView(thread: Parameters<typeof threadView>[0]): Promise<ThreadView> {
    return threadView(thread, await this.#members.summaries([thread.authorId]));
  }

  async #requestViews(requests: VerificationRequest[]): Promise<VerificationRequestView[]> {
    const people = await this.#members.summaries(requests.map((r) => r.memberId));
    const out: VerificationRequestView[] = [];
    for (const r of requests) {
      const member = people.get(r.memberId);
      if (!member) continue;
      const { info } = safeNip(r.nip);
      out.push({
        id: r.id,
        member,
        nip: r.nip,
        nipInfo: info,
        instansi: r.instansi,
        jabatan: r.jabatan,
        status: r.status,
        createdAt: r.createdAt,
        ...(r.note ? { note: r.note } : {}),
        ...(r.decidedAt ? { decidedAt: r.decidedAt } : {}),
        ...(r.decidedBy ? { decidedBy: r.decidedBy } : {}),
        ...(r.decisionNote ? { decisionNote: r.decisionNote } : {}),
      });
    }
    return out;
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

// Requests were checked when made; a later rule change must not break the officers' list.
function safeNip(nip: string) {
  try {
    return parseNip(nip);
  } catch {
    return { nip, info: { birthDate: '?', startMonth: '?', gender: 'pria' as const } };
  }
}

const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
