import type { Queryable } from './db.js';

type Kind = 'thread' | 'post';

/**
 * Which site a thread or post is on, for routing a write that names only the record to its site's
 * lane. A record never changes site, so an answer once known stays true; entries are learnt from
 * creates and look-ups (nothing is loaded at start) and the oldest are forgotten past `capacity`.
 */
export class SiteDirectory {
  private readonly known = new Map<string, string>();

  constructor(
    private readonly db: () => Queryable,
    private readonly capacity = 100_000,
  ) {}

  /** Notes a record's site; an entry already known is kept (a record's first site is its site). */
  remember(kind: Kind, id: string, site: string): void {
    const key = `${kind}:${id}`;
    if (this.known.has(key)) return;
    this.known.set(key, site);
    if (this.known.size > this.capacity) this.known.delete(this.known.keys().next().value!);
  }

  /** Notes the site of a record just read (so writes naming it need no look-up), and hands it back. */
  noted<T extends { id: string; site: string }>(kind: Kind, record: T | undefined): T | undefined {
    if (record) this.remember(kind, record.id, record.site);
    return record;
  }

  /** The site at once when known, else a look-up; undefined when there is no such record. */
  of(kind: Kind, id: string): string | Promise<string | undefined> {
    return this.known.get(`${kind}:${id}`) ?? this.lookup(kind, id);
  }

  /** The site of an answer's thread, as `of` finds it; refuses an answer that names another site. */
  ofAnswer(post: { threadId: string; site: string }): string | Promise<string | undefined> {
    const check = (site: string | undefined) => {
      if (site !== undefined && site !== post.site) throw new Error(`post for thread ${post.threadId} names site ${post.site}, the thread is on ${site}`);
      return site;
    };
    const known = this.of('thread', post.threadId);
    if (typeof known !== 'string') return known.then(check);
    check(known);
    return known;
  }

  private async lookup(kind: Kind, id: string): Promise<string | undefined> {
    const { rows } = await this.db().query<{ site: string }>({
      name: `osg_${kind}_site`,
      text: `SELECT site FROM ${kind === 'thread' ? 'threads' : 'posts'} WHERE id = $1`,
      values: [id],
    });
    const site = rows[0]?.site;
    if (site !== undefined) this.remember(kind, id, site);
    return site;
  }
}
