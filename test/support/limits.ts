import { readFileSync } from 'node:fs';

/**
 * Rate limits high enough for tests that post in bulk from one visitor and one address (an OSG_TRUST value).
 * Tests of the limits themselves start their server without it. Shared with the browser tests' server.
 */
export const GENEROUS_TRUST = JSON.stringify(JSON.parse(readFileSync(new URL('./generous-trust.json', import.meta.url), 'utf8')));
