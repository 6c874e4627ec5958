import type { OfficerSession } from '../domain/model.js';
import type { SessionEndReason } from '../protocol.js';

/**
 * The journal records of officer sessions (server/domain/officer-sessions.ts). Like every record type,
 * they are only ever added to; replay applies them with the same code as a live commit.
 */
export type OfficerSessionRecord =
  /** `endOthers`: the officer's other live sessions end in the same record, reason `replaced`. */
  | { t: 'officer-session.created'; session: OfficerSession; endOthers: boolean }
  | { t: 'officer-session.touched'; id: string; at: string }
  | { t: 'officer-session.ended'; id: string; at: string; reason: SessionEndReason }
  | { t: 'officer-sessions.ended'; officerId: string; at: string; reason: SessionEndReason };

export function isOfficerSessionRecord(record: { t: string }): record is OfficerSessionRecord {
  return record.t.startsWith('officer-session');
}

/**
 * The sessions part of the JSON store's memory state. Sessions are short-lived: each new session drops
 * those whose `expiresAt` has passed by its creation time, so that the map (and the snapshot) holds
 * only the sessions of the last few hours. Records about a dropped session change nothing.
 */
export class OfficerSessionState {
  readonly #sessions = new Map<string, OfficerSession>();
  readonly #byOfficer = new Map<string, Set<string>>();

  get(id: string): OfficerSession | undefined {
    const session = this.#sessions.get(id);
    return session && { ...session };
  }

  /** Whether the session exists and has not ended (writes for anything else are left out). */
  isLive(id: string): boolean {
    const session = this.#sessions.get(id);
    return session !== undefined && session.endedAt === undefined;
  }

  lastSeenAt(id: string): string | undefined {
    return this.#sessions.get(id)?.lastSeenAt;
  }

  hasLiveSessionOf(officerId: string): boolean {
    for (const id of this.#byOfficer.get(officerId) ?? []) if (this.isLive(id)) return true;
    return false;
  }

  apply(record: OfficerSessionRecord): void {
    switch (record.t) {
      case 'officer-session.created': {
        const { session } = record;
        if (this.#sessions.has(session.id)) throw new Error(`officer session ${session.id} already exists`);
        this.#dropExpired(session.createdAt);
        if (record.endOthers) this.#endAllOf(session.officerId, session.createdAt, 'replaced');
        this.#add({ ...session });
        return;
      }
      case 'officer-session.touched': {
        const session = this.#sessions.get(record.id);
        if (session && session.endedAt === undefined && record.at > session.lastSeenAt) session.lastSeenAt = record.at;
        return;
      }
      case 'officer-session.ended': {
        const session = this.#sessions.get(record.id);
        if (session) end(session, record.at, record.reason);
        return;
      }
      case 'officer-sessions.ended':
        this.#endAllOf(record.officerId, record.at, record.reason);
        return;
    }
  }

  /** Every kept session, for the snapshot. */
  toSnapshot(): OfficerSession[] {
    return [...this.#sessions.values()].map((s) => ({ ...s }));
  }

  load(sessions: OfficerSession[]): void {
    for (const session of sessions) this.#add({ ...session });
  }

  #add(session: OfficerSession): void {
    this.#sessions.set(session.id, session);
    let ids = this.#byOfficer.get(session.officerId);
    if (!ids) this.#byOfficer.set(session.officerId, (ids = new Set()));
    ids.add(session.id);
  }

  #endAllOf(officerId: string, at: string, reason: SessionEndReason): void {
    for (const id of this.#byOfficer.get(officerId) ?? []) end(this.#sessions.get(id)!, at, reason);
  }

  #dropExpired(at: string): void {
    for (const [id, session] of this.#sessions) {
      if (session.expiresAt > at) continue;
      this.#sessions.delete(id);
      const ids = this.#byOfficer.get(session.officerId)!;
      ids.delete(id);
      if (ids.size === 0) this.#byOfficer.delete(session.officerId);
    }
  }
}

function end(session: OfficerSession, at: string, reason: SessionEndReason): void {
  if (session.endedAt !== undefined) return;
  session.endedAt = at;
  session.endReason = reason;
}
