import type { OfficerSession } from '../domain/model.js';
import type { SessionEndReason } from '../protocol.js';
import type { OfficerSessionRecord, OfficerSessionState } from './officer-session-state.js';

/**
 * The officer-session methods (Store: createOfficerSession … endOfficerSessions) of the stores built on
 * MemoryState: the JSON store, where each write is one journal record applied to the state once durable
 * (reads see only durable state), and the memory store, which applies it at once. A write that would change
 * nothing (an unknown or ended session) is not journalled.
 */
export class OfficerSessionWrites {
  constructor(
    private readonly io: {
      /** The committed state's sessions. */
      state: () => OfficerSessionState;
      /** Journals a record (refusing when the store cannot write) and resolves once it is applied. */
      commit: (record: OfficerSessionRecord) => Promise<void>;
    },
  ) {}

  async create(req: { session: OfficerSession; endOthers: boolean }): Promise<OfficerSession> {
    const session: OfficerSession = JSON.parse(JSON.stringify(req.session));
    if (this.io.state().get(session.id)) throw new Error(`officer session ${session.id} already exists`);
    await this.io.commit({ t: 'officer-session.created', session, endOthers: req.endOthers });
    return { ...session };
  }

  async get(req: { id: string }): Promise<OfficerSession | undefined> {
    return this.io.state().get(req.id);
  }

  async touch(req: { id: string; at: string }): Promise<void> {
    const state = this.io.state();
    if (!state.isLive(req.id) || req.at <= state.lastSeenAt(req.id)!) return;
    await this.io.commit({ t: 'officer-session.touched', id: req.id, at: req.at });
  }

  async end(req: { id: string; at: string; reason: SessionEndReason }): Promise<void> {
    if (!this.io.state().isLive(req.id)) return;
    await this.io.commit({ t: 'officer-session.ended', id: req.id, at: req.at, reason: req.reason });
  }

  async endAllOf(req: { officerId: string; at: string; reason: SessionEndReason }): Promise<void> {
    if (!this.io.state().hasLiveSessionOf(req.officerId)) return;
    await this.io.commit({ t: 'officer-sessions.ended', officerId: req.officerId, at: req.at, reason: req.reason });
  }
}
