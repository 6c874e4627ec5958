/**
 * Round-robin assignment (site setting `assignment: "round_robin"`): each new follow-up of a site goes to the
 * next of the site's officers in turn.
 *
 * The turn is derived from the follow-up's tracking number rather than kept as a separate counter: the
 * store already hands out the numbers of a site and year one by one, without gaps or repeats, under
 * concurrent requests, across instances and across restarts, so the k-th follow-up goes to officer
 * (k − 1) mod n. Nothing new has to be stored, and two instances can never give the same turn twice.
 * Officers are taken in a stable order (by id) from the accounts in force, so a removed officer simply
 * drops out of the turn and a new one joins it; the numbering starts again with the year, and so does
 * the turn.
 */
import { parseTracking } from './tracking.js';

/** The officer whose turn the follow-up numbered `tracking` is, among `officerIds`; undefined when there is nobody. */
export function roundRobinOfficer(officerIds: readonly string[], tracking: string): string | undefined {
  const parsed = parseTracking(tracking);
  if (!parsed || officerIds.length === 0) return undefined;
  const ordered = [...new Set(officerIds)].sort();
  return ordered[(parsed.number - 1) % ordered.length];
}
