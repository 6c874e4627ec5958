import type { MemberSummary, PostView, ThreadView, ThreadWithPosts } from '../../server/protocol.js';

/** What a name next to a post needs: the live summary if known, else the name stored with the post. */
export type Author = Pick<MemberSummary, 'id' | 'name'> & Partial<MemberSummary>;

/** The author as every open widget should show them now: the member cache wins over the post's copy. */
export function authorOf(members: ReadonlyMap<string, MemberSummary>, item: PostView | ThreadView): Author {
  return members.get(item.authorId) ?? item.author ?? { id: item.authorId, name: item.authorName };
}

const rank = (post: PostView, accepted?: string) =>
  post.hidden ? 3 : post.official || post.endorsed ? 0 : post.id === accepted ? 1 : 2;

/** The server's order: official or endorsed, then accepted, then by score, then oldest first; hidden last. */
export function sortPosts(posts: PostView[], acceptedPostId?: string): PostView[] {
  return [...posts].sort(
    (a, b) => rank(a, acceptedPostId) - rank(b, acceptedPostId) || b.score - a.score || a.seq - b.seq,
  );
}

/** The thread with this post added or replaced, in order. `meId`'s own hidden body is kept. */
export function withPost(data: ThreadWithPosts, post: PostView, meId?: string): ThreadWithPosts {
  const known = data.posts.find((each) => each.id === post.id);
  // post.updated reaches every client with a hidden answer's body blanked, its author's included.
  if (known && post.hidden && !post.body && post.authorId === meId) post = { ...post, body: known.body };
  const posts = [...data.posts.filter((each) => each.id !== post.id), post];
  return { ...data, posts: sortPosts(posts, data.thread.acceptedPostId) };
}

/** The thread with new question fields (e.g. the accepted answer), answers re-ordered. */
export function withThread(data: ThreadWithPosts, thread: Partial<ThreadView>): ThreadWithPosts {
  const merged = { ...data.thread, ...thread };
  // thread.updated carries the whole thread; a cleared acceptance is an absent field, not undefined.
  if ('title' in thread && !('acceptedPostId' in thread)) delete merged.acceptedPostId;
  return { ...data, thread: merged, posts: sortPosts(data.posts, merged.acceptedPostId) };
}
