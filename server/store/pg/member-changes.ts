/**
 * The member change log in PostgreSQL (domain/member-changes.ts keeps it in memory for the JSON store). Shared
 * by every instance and kept across restarts; pruned to the events a client can still resume from.
 */
import type { DurableMemberChanges } from '../../domain/member-changes.js';
import type { Queryable } from './db.js';

export class PgMemberChanges implements DurableMemberChanges {
  #notes = 0;

  constructor(
    private readonly db: () => Queryable,
    /** Events kept per site: a change older than that cannot matter to a client that can still resume. */
    private readonly retention: number,
  ) {}

  async note(memberId: string, seqs: ReadonlyMap<string, number>): Promise<void> {
    const sites = [...seqs.keys()];
    await this.db().query(
      `INSERT INTO member_changes AS m (site, member_id, seq)
       SELECT site, $2, seq FROM unnest($1::text[], $3::bigint[]) AS u(site, seq)
       ON CONFLICT (site, member_id) DO UPDATE SET seq = GREATEST(m.seq, EXCLUDED.seq)`,
      [sites, memberId, sites.map((s) => seqs.get(s)!)],
    );
    if (++this.#notes % 100 === 0) {
      await this.db().query('DELETE FROM member_changes m USING site_seq s WHERE m.site = s.site AND m.seq < s.seq - $1::bigint', [this.retention]);
    }
  }

  async since(site: string, lastSeq: number): Promise<string[]> {
    const { rows } = await this.db().query<{ member_id: string }>('SELECT member_id FROM member_changes WHERE site = $1 AND seq >= $2 ORDER BY seq, member_id', [site, lastSeq]);
    return rows.map((r) => r.member_id);
  }
}
