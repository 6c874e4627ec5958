import type { Queryable } from '../db.js';
import { initial } from './001-initial.js';
import { officerSessions } from './002-officer-sessions.js';
import { storeGeneration } from './003-store-generation.js';
import { followUps } from './004-follow-ups.js';
import { leases } from './005-leases.js';
import { memberChanges } from './006-member-changes.js';

/**
 * One schema change. Migrations are only ever added, never edited once released: a database records
 * the versions it has applied in `schema_migrations`, and start-up applies the missing ones in order.
 * To add one: a file `NNN-what.ts` beside this one exporting a Migration, listed below.
 */
export interface Migration {
  version: number;
  name: string;
  /** Runs inside the migration transaction: a failure leaves the database as it was. */
  up(db: Queryable): Promise<void>;
}

export const MIGRATIONS: readonly Migration[] = [initial, officerSessions, storeGeneration, followUps, leases, memberChanges];
