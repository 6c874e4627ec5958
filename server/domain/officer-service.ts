import { nanoid } from 'nanoid';
import type {
  AuditEntryView,
  FlaggedPostView,
  OfficerLoginResponse,
  OfficerMemberView,
  PostView,
  ProfileView,
  VerificationRequestView,
} from '../protocol.js';
import type { Store } from '../store/store.js';
import { DomainError } from './errors.js';
import type { MemberDirectory } from './members.js';
import type { AuditAction, Flag, Post, VerificationRequest, Visitor } from './model.js';
import { parseNip } from './nip.js';
import { LoginLockout, type Lockout } from './login-lockout.js';
import { OfficerAccounts, type AccountChanges, type OfficerAccount } from './officer-accounts.js';
import { OfficerSessions, type SessionSettings } from './officer-sessions.js';
import type { Limiter } from './rate-limit.js';
import { HashingQueue, verifyPassword, type HashingLimits } from './passwords.js';
import { cleanText } from './rules.js';
import type { CheckOptions, ConsultationService } from './service.js';
import type { TokenSigner } from './tokens.js';
import { profileView } from './trust.js';
import { postView } from './views.js';

export type { OfficerAccount } from './officer-accounts.js';

export interface OfficerServiceOptions {
  store: Store;
  consultation: ConsultationService;
  tokens: TokenSigner;
  officers?: OfficerAccount[];
  /** Idle and absolute expiry of officer sessions. */
  sessions?: SessionSettings;
  /** How many password checks run and wait at once (sign-in must never starve writes). */
  hashing?: HashingLimits | 'unbounded';
  /** Failed sign-ins per username; in memory by default, on Redis with several instances. */
  lockout?: Lockout;
  now?: () => number;
  newId?: () => string;
}

export const officerId = (username: string) => `officer-${username}`;

/**
 * What officers do: sign in and out, decide verification requests, endorse and review answers, reverse
 * vote rings, recompute reputation, read the audit log. Every action is audited; the officer role always
 * comes from the store, never from a token, and every officer token is checked against its session
 * (officer-sessions.ts) on every request, wherever it is used.
 */
export class OfficerService {
  readonly #store: Store;
  readonly #consultation: ConsultationService;
  readonly #members: MemberDirectory;
  readonly #limiter: Limiter;
  readonly #tokens: TokenSigner;
  readonly #accounts: OfficerAccounts;
  readonly #sessions: OfficerSessions;
  readonly #lockout: Lockout;
  readonly #hashing: HashingQueue;
  readonly #now: () => number;
  readonly #newId: () => string;
  /** Reloads of the accounts run one after another. */
  #reloading: Promise<unknown> = Promise.resolve();
  #accountsVersion = 0;

  constructor(options: OfficerServiceOptions) {
    this.#store = options.store;
    this.#consultation = options.consultation;
    this.#members = options.consultation.members;
    this.#limiter = options.consultation.limiter;
    this.#tokens = options.tokens;
    this.#now = options.now ?? Date.now;
    this.#newId = options.newId ?? (() => nanoid(16));
    this.#accounts = new OfficerAccounts(options.officers ?? []);
    this.#sessions = new OfficerSessions({ store: this.#store, tokens: this.#tokens, accounts: this.#accounts, settings: options.sessions, now: this.#now });
    this.#lockout = options.lockout ?? new LoginLockout(this.#rules.limits.login.account, this.#now);
    this.#hashing = new HashingQueue(options.hashing);
    // An officer's token counts on the visitors' routes too (official answers), and only while its session does.
    this.#consultation.checkOfficerTokensWith((claims, member, options) => this.#sessions.check(claims, member, options));
  }

  get #rules() {
    return this.#members.rules;
  }

  /** The account in force now (the officers file as last reloaded), or undefined once it was removed. */
  account(username: string): OfficerAccount | undefined {
    return this.#accounts.get(username);
  }

  /** Every account in force now. */
  accounts(): OfficerAccount[] {
    return this.#accounts.all();
  }

  /** Goes up by one each time a reload of the officer accounts has fully taken effect. */
  get accountsVersion(): number {
    return this.#accountsVersion;
  }

  /** Creates or updates the member record of every configured officer (role comes from here only). */
  async syncOfficers(): Promise<void> {
    for (const account of this.#accounts.all()) {
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

  /**
   * Puts a new list of accounts in force (the officers file changed). From the moment this is called, a
   * removed account or a changed password refuses every token it had; the sessions are then also ended
   * in the store. Resolves once all of that is durable.
   */
  reloadAccounts(accounts: OfficerAccount[]): Promise<AccountChanges> {
    const run = this.#reloading.then(async () => {
      const changes = this.#accounts.replace(accounts);
      this.#consultation.reserveOfficerNames(accounts.map((a) => a.name));
      await this.syncOfficers();
      for (const username of changes.removed) await this.#sessions.endAllOf(officerId(username), 'account_removed');
      for (const username of changes.passwordChanged) await this.#sessions.endAllOf(officerId(username), 'credentials_changed');
      this.#accountsVersion++;
      return changes;
    });
    this.#reloading = run.catch(() => undefined);
    return run;
  }

  /**
   * Signs in: per-address limit, per-username lockout (the same for unknown usernames), then one bounded
   * password check. Success opens a session and ends the officer's older ones.
   */
  async login(username: string, password: string, ip?: string): Promise<OfficerLoginResponse> {
    if (ip) await this.#limiter.take(`login:ip:${ip}`, this.#rules.limits.login.ip);
    await this.#lockout.check(username);
    const account = this.#accounts.get(username);
    // Hash even for unknown names, so that timing does not reveal which usernames exist.
    const ok = await this.#hashing.run(() => verifyPassword(password, account?.passwordHash ?? DUMMY_HASH));
    if (!account || !ok) {
      await this.#lockout.fail(username);
      throw new DomainError('bad_credentials', 'Wrong username or password');
    }
    const [member] = await this.#store.getMembers({ ids: [officerId(username)] });
    if (!member || member.role !== 'officer') throw new DomainError('bad_credentials', 'Wrong username or password');
    await this.#lockout.succeed(username);
    const { token, expiresAt } = await this.#sessions.start(account, member);
    return { token, expiresAt, officer: this.#members.summary(member) };
  }

  /** Signing out ends the token's session at once; an ended or expired one is fine too. */
  async logout(token: string | undefined): Promise<void> {
    if (!token) throw new DomainError('unauthorized', 'An officer token is required');
    await this.#sessions.end(token);
  }

  /** The officer a token proves (session checked); any other member is refused with `forbidden`. */
  async officer(token: string | undefined, check?: CheckOptions): Promise<Visitor> {
    const member = await this.#consultation.authenticate(token, check);
    if (member.role !== 'officer' || !member.username) throw new DomainError('forbidden', 'Officers only');
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
    await this.#audit(officer, decision === 'approved' ? 'verification.approve' : 'verification.reject', {
      memberId: request.memberId,
      details: { requestId, ...(decisionNote ? { note: decisionNote } : {}) },
    });
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
    const [member] = await this.#store.getMembers({ ids: [memberId] });
    if (!member) throw new DomainError('visitor_not_found', 'Member not found');
    const profile = profileView(member, this.#now(), this.#rules);
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

  /**
   * The review list: answers hidden by flags (`pending`) or removed, newest first. `pending` also lists
   * officers' official answers that members flagged, which flags never hide (no `hidden` on them).
   */
  async flagged(status: 'pending' | 'removed' = 'pending'): Promise<FlaggedPostView[]> {
    const posts: Post[] = await this.#store.hiddenPosts({ status, limit: 200 });
    if (status === 'pending') posts.push(...(await this.#flaggedOfficial()));
    // Three reads for the whole list (flags, threads, people), not three per listed answer.
    const [allFlags, threads] = await Promise.all([
      this.#store.flagsOn({ postIds: posts.map((p) => p.id) }),
      this.#store.getThreadRecords({ ids: posts.map((p) => p.threadId) }),
    ]);
    const titles = new Map(threads.map((t) => [t.id, t.title]));
    const flagsOf = new Map<string, Flag[]>();
    for (const f of allFlags) flagsOf.set(f.postId, [...(flagsOf.get(f.postId) ?? []), f]);
    const people = await this.#members.summaries([...posts.map((p) => p.authorId), ...allFlags.map((f) => f.memberId)]);
    return posts.map((post) => {
      const flags = flagsOf.get(post.id) ?? [];
      return {
        post: postView(post, people, undefined, true),
        thread: { id: post.threadId, title: titles.get(post.threadId) ?? '', site: post.site },
        flags: flags.map((f) => ({ reason: f.reason, weight: f.weight, at: f.at, member: people.get(f.memberId)! })).filter((f) => f.member),
      };
    });
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
    }
    for (const thread of await this.#store.getThreadRecords({ ids: votes.map((v) => v.threadId) })) touched.add(thread.authorId);
    await this.#members.refreshAll(touched);
    await this.#audit(officer, 'votes.reverse', { memberId, details: { reversed: votes.length } });
    return { reversed: votes.length };
  }

  /**
   * Recomputes the reputation and counts of every member who wrote something (no one else can have earned
   * any) from stored records; returns how many changed.
   */
  async recomputeAll(officer?: Visitor): Promise<{ members: number; changed: number; ms: number }> {
    const t0 = performance.now();
    const ids = await this.#authors();
    let changed = 0;
    for (const id of ids) {
      const [before] = await this.#store.getMembers({ ids: [id] });
      const after = await this.#members.refresh(id);
      const shown = (m: Visitor) => m.reputation ?? this.#rules.reputation.start;
      if (before && after && shown(before) !== shown(after)) changed++;
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

  // ---- helpers ---------------------------------------------------------------------------------

  /** Every member who asked or answered on a configured site, and every author of a voted answer. */
  async #authors(): Promise<Set<string>> {
    const ids = new Set<string>();
    for (const v of await this.#store.allVotes()) ids.add(v.authorId);
    for (const site of this.#consultation.siteIds()) {
      let beforeSeq: number | undefined;
      do {
        const page = await this.#store.listThreads({ site, filter: 'all', limit: 500, ...(beforeSeq === undefined ? {} : { beforeSeq }) });
        for (const thread of page.threads) ids.add(thread.authorId);
        const answered = page.threads.filter((t) => t.answerCount > 0).map((t) => t.id);
        if (answered.length) for (const post of await this.#store.postsInThreads({ threadIds: answered })) ids.add(post.authorId);
        beforeSeq = page.nextBeforeSeq;
      } while (beforeSeq !== undefined);
    }
    return ids;
  }

  /** Shown official answers with flags, most recently flagged first (officers are few; so are their answers). */
  async #flaggedOfficial(): Promise<Post[]> {
    const found: Array<{ post: Post; last: string }> = [];
    for (const { username } of this.#accounts.all()) {
      const { posts } = await this.#store.activityOf({ memberId: officerId(username) });
      const shown = posts.filter((p) => p.official && !p.hidden);
      const flags = shown.length ? await this.#store.flagsOn({ postIds: shown.map((p) => p.id) }) : [];
      const last = new Map<string, string>();
      for (const f of flags) if (f.at > (last.get(f.postId) ?? '')) last.set(f.postId, f.at);
      for (const post of shown) if (last.has(post.id)) found.push({ post, last: last.get(post.id)! });
    }
    return found.sort((a, b) => (a.last < b.last ? 1 : a.last > b.last ? -1 : 0)).map((f) => f.post);
  }

  async #audit(officer: Visitor, action: AuditAction, extra: { memberId?: string; postId?: string; details?: Record<string, string | number | boolean> }): Promise<void> {
    await this.#store.appendAudit({ entry: { id: this.#newId(), at: this.#iso(), officerId: officer.id, action, ...extra } });
  }

  async #view(post: Post, full = false): Promise<PostView> {
    const people = await this.#members.summaries(post.endorsedBy ? [post.authorId, post.endorsedBy] : [post.authorId]);
    return postView(post, people, undefined, full);
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

// Requests were checked when made; a later rule change must not break the officers' list.
function safeNip(nip: string) {
  try {
    return parseNip(nip);
  } catch {
    return { nip, info: { birthDate: '?', startMonth: '?', gender: 'pria' as const } };
  }
}

const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
