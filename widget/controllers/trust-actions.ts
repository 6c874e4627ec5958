import type { ClientMessage, ErrorBody, PostView, ThreadView, ThreadWithPosts } from '../../server/protocol.js';
import type { ShownError } from '../i18n.js';
import type { ApiClient, ApiError } from '../lib/api.js';
import { authed } from '../lib/authed.js';

export type FlagReason = 'salah_informasi' | 'spam' | 'tidak_pantas';

/** The detail of `osg-vote`, `osg-accept`, `osg-flag` and `osg-edit` from an answer (see handle()). */
export type AnswerAction =
  | { postId: string; value: 1 | -1 | 0 }
  | { postId: string | null; answerId: string }
  | { postId: string; reason: FlagReason }
  | { postId: string; body: string };
type Ref = 'vote' | 'accept' | 'flag';

/** What TrustActions needs from the ForumController that owns it. */
export interface TrustHost {
  readonly api?: ApiClient;
  /** Sends over the socket; false when the link is down. */
  send(frame: ClientMessage): boolean;
  data(): ThreadWithPosts | undefined;
  setData(data: ThreadWithPosts): void;
  updatePost(post: PostView): void;
  updateThread(thread: ThreadView): void;
}

interface Sent {
  ref: Ref;
  /** The answer whose row shows the outcome. */
  postId: string;
  /** Applied on `done`. */
  apply(): void;
}

/**
 * Votes, the accepted answer, flags and edits of the open thread. Votes, acceptance and flags go over the
 * socket and are settled by `done` or `error` (matched by `ref` and post); while the socket is down they
 * go over REST, and with no network at all the answer says "offline". The change itself arrives as an event.
 *
 * It ships in the on-demand module and is set up on the visitor's first such action
 * (ForumController.useTrust): reading a thread needs none of it. Hence no value import from the main
 * bundle here: its ApiError is recognised by shape, not by class.
 */
export class TrustActions {
  /** A refusal to show beside an answer, by post id, until the next action on it. */
  errors: Record<string, ShownError> = {};
  /** Answers with an action on its way. */
  busy = new Set<string>();

  private sent: Sent[] = [];

  readonly #host: TrustHost;
  readonly #changed: () => void;

  constructor(host: TrustHost, changed: () => void) {
    this.#host = host;
    this.#changed = changed;
  }

  /**
   * The detail of an answer's `osg-vote`, `osg-accept`, `osg-flag` or `osg-edit` event in the thread `threadId`
   * (each has its own shape). The host hands them over as they come, so this dispatch ships here, not in the main
   * script.
   */
  handle(detail: AnswerAction, threadId: string): void {
    if ('value' in detail) this.vote(detail.postId, detail.value);
    else if ('answerId' in detail) this.accept(threadId, detail.postId, detail.answerId);
    else if ('reason' in detail) this.flag(detail.postId, detail.reason);
    else void this.edit(detail.postId, detail.body);
  }

  vote(postId: string, value: 1 | -1 | 0): void {
    const apply = () => this.patch((data) => {
      const myVotes = { ...data.myVotes };
      if (value) myVotes[postId] = value;
      else delete myVotes[postId];
      return { ...data, myVotes };
    });
    this.run({ ref: 'vote', postId, apply }, { type: 'vote', postId, value }, async (api) => {
      const { post } = await authed<{ post: PostView }>(api, `/api/posts/${encodeURIComponent(postId)}/vote`, 'PUT', { value });
      this.#host.updatePost(post);
    });
  }

  /** Marks `postId` as the thread's best answer, or clears it with null (`shownOn` gets the outcome). */
  accept(threadId: string, postId: string | null, shownOn: string): void {
    this.run({ ref: 'accept', postId: shownOn, apply: () => {} }, { type: 'accept', threadId, postId }, async (api) => {
      const path = `/api/threads/${encodeURIComponent(threadId)}/accepted`;
      this.#host.updateThread(await authed<ThreadView>(api, path, 'PUT', { postId }));
    });
  }

  flag(postId: string, reason: FlagReason): void {
    const apply = () => this.patch((data) => ({ ...data, myFlags: [...(data.myFlags ?? []), postId] }));
    this.run({ ref: 'flag', postId, apply }, { type: 'flag', postId, reason }, async (api) => {
      await authed(api, `/api/posts/${encodeURIComponent(postId)}/flags`, 'POST', { reason });
    });
  }

  /** Edits one's own answer (REST only). */
  async edit(postId: string, body: string): Promise<void> {
    const api = this.#host.api;
    if (!api) return;
    this.start(postId);
    try {
      this.#host.updatePost(await authed<PostView>(api, `/api/posts/${encodeURIComponent(postId)}`, 'PATCH', { body }));
    } catch (error) {
      this.fail(postId, error);
    }
    this.finish(postId);
  }

  /** A `done` frame: the oldest matching action succeeded. */
  done(ref: Ref, postId?: string): void {
    const sent = this.take(ref, postId);
    sent?.apply();
    if (sent) this.finish(sent.postId);
  }

  /** An `error` frame with a `ref`. */
  refused(ref: Ref, error: ErrorBody, postId?: string): void {
    const sent = this.take(ref, postId);
    if (!sent) return;
    this.errors = { ...this.errors, [sent.postId]: error };
    this.finish(sent.postId);
  }

  /** The socket closed: answers to what was sent will not come. */
  dropped(): void {
    for (const sent of this.sent) this.errors = { ...this.errors, [sent.postId]: { code: 'offline' } };
    this.sent = [];
    this.busy = new Set();
    this.#changed();
  }

  /** A new thread is open: old outcomes no longer apply. */
  reset(): void {
    this.sent = [];
    this.errors = {};
    this.busy = new Set();
  }

  private run(sent: Sent, frame: ClientMessage, rest: (api: ApiClient) => Promise<void>): void {
    this.start(sent.postId);
    if (this.#host.send(frame)) {
      this.sent.push(sent);
      return;
    }
    const api = this.#host.api;
    if (!api) return;
    rest(api).then(
      () => sent.apply(),
      (error) => this.fail(sent.postId, error),
    ).finally(() => this.finish(sent.postId));
  }

  private take(ref: Ref, postId?: string): Sent | undefined {
    const index = this.sent.findIndex((sent) => sent.ref === ref && (!postId || ref === 'accept' || sent.postId === postId));
    return index < 0 ? undefined : this.sent.splice(index, 1)[0];
  }

  private start(postId: string): void {
    const { [postId]: _cleared, ...errors } = this.errors;
    this.errors = errors;
    this.busy = new Set(this.busy).add(postId);
    this.#changed();
  }

  private finish(postId: string): void {
    const busy = new Set(this.busy);
    busy.delete(postId);
    this.busy = busy;
    this.#changed();
  }

  private fail(postId: string, error: unknown): void {
    const shown: ShownError = (error as Partial<ApiError> | undefined)?.error ?? { code: 'internal' };
    this.errors = { ...this.errors, [postId]: shown.code === 'network' ? { code: 'offline' } : shown };
  }

  private patch(change: (data: ThreadWithPosts) => ThreadWithPosts): void {
    const data = this.#host.data();
    if (data) this.#host.setData(change(data));
  }
}
