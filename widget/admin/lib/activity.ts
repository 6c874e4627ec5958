/**
 * Whether the officer used the page lately. Every REST request counts as activity on the server, and an officer
 * session ends after 30 idle minutes (docs/ADMIN.md): reads the page makes by itself (refreshing the time left,
 * counts after a live change) run only within ACTIVE_MS of the officer's last key or pointer press, so a console
 * merely left open still lets its session end — at most ACTIVE_MS later than it would otherwise.
 */
export const ACTIVE_MS = 5 * 60_000;

let last = Date.now();
let watching = false;

function mark(): void {
  last = Date.now();
}

/** Starts noting key and pointer presses anywhere in the page (they are composed, so shadow roots included). */
export function watchActivity(): void {
  if (watching) return;
  watching = true;
  for (const type of ['keydown', 'pointerdown']) window.addEventListener(type, mark, { capture: true, passive: true });
}

export function recentlyActive(now = Date.now()): boolean {
  return now - last < ACTIVE_MS;
}
