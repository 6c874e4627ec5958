/**
 * The follow-up domain: officers' queue, statuses, tracking numbers and SLA clocks in working time.
 * Pure: no store, no HTTP, no timers; the caller passes the current time. docs/FOLLOW-UP.md explains it.
 */
export * from './assignment.js';
export * from './calendar.js';
export * from './lifecycle.js';
export * from './model.js';
export * from './queue-rules.js';
export * from './sla.js';
export * from './tracking.js';
export * from './working-time.js';
export { yearInZone, type DayNumber } from './zone.js';
