/**
 * Reconnect delay with "full jitter" (AWS Architecture Blog, "Exponential Backoff and Jitter"): a random wait
 * between 0 and the capped exponential, so that many widgets dropped by one server restart do not return at once.
 */
export function backoffDelay(attempt: number, baseMs = 500, capMs = 15_000, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** attempt));
}
