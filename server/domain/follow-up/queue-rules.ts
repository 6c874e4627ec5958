/**
 * Queue-entry rules: whether a thread must enter the officers' follow-up queue without its asker asking,
 * for which reason, and otherwise when it next needs looking at.
 *
 * Call `queueDecision` whenever a thread changes (an answer, a flag, a vote, an accepted answer) and at its
 * `checkAt`; a thread that already has a follow-up needs no more checks. Times are working time in the
 * site's zone from the thread's creation, so a question asked on Saturday starts counting on Monday.
 */
import type { QueueRules } from './calendar.js';
import type { FollowUpReason } from './model.js';
import type { WorkCalendar } from './working-time.js';
import { MINUTE_MS } from './zone.js';

/** What the rules need to know about one answer. */
export interface AnswerFacts {
  /** Written by an officer (Post.official). */
  official: boolean;
  /** Flagged by members and not yet cleared: hidden pending review, or any open flag. */
  flagged: boolean;
  /** Up-votes minus down-votes. */
  score: number;
}

/** What the rules need to know about a thread. Answers an officer removed should be left out. */
export interface ThreadFacts {
  createdAt: string;
  answers: readonly AnswerFacts[];
  /** The asker marked an answer "Jawaban terbaik". */
  accepted: boolean;
}

export type QueueReason = Exclude<FollowUpReason, 'asker_request'>;

export type QueueDecision =
  | { enter: true; reason: QueueReason }
  /** `checkAt`: when a time rule would fire if nothing else happens; absent when only a thread change can make one fire. */
  | { enter: false; checkAt?: number };

/**
 * The first rule that fires, in this order: a flagged answer and a negative score first (wrong information
 * is visible to every visitor now), then no answer at all, then no accepted or officer answer.
 */
export function queueDecision(thread: ThreadFacts, rules: QueueRules, calendar: WorkCalendar, now: number): QueueDecision {
  if (rules.flagged && thread.answers.some((a) => a.flagged)) return { enter: true, reason: 'flagged' };
  if (rules.negativeScore && thread.answers.some((a) => a.score < 0)) return { enter: true, reason: 'negative_score' };

  const created = Date.parse(thread.createdAt);
  const pending: Array<{ reason: QueueReason; at: number }> = [];
  if (rules.unansweredMinutes !== false && thread.answers.length === 0) {
    pending.push({ reason: 'unanswered', at: calendar.addWorkingMs(created, rules.unansweredMinutes * MINUTE_MS) });
  }
  if (rules.noOfficialAnswerHours !== false && !thread.accepted && !thread.answers.some((a) => a.official)) {
    pending.push({ reason: 'no_official_answer', at: calendar.addWorkingMs(created, rules.noOfficialAnswerHours * 60 * MINUTE_MS) });
  }
  const fired = pending.find((rule) => rule.at <= now);
  if (fired) return { enter: true, reason: fired.reason };
  const checkAt = Math.min(...pending.map((rule) => rule.at));
  return Number.isFinite(checkAt) ? { enter: false, checkAt } : { enter: false };
}

/**
 * ThreadFacts from stored records: `answers` are the thread's answers (Post) and `flaggedPostIds` those with
 * an open member flag. Answers an officer removed do not count.
 */
export function threadFacts(
  thread: { createdAt: string; acceptedPostId?: string },
  answers: ReadonlyArray<{ id: string; official?: boolean; up?: number; down?: number; hidden?: { status: 'pending' | 'removed' } }>,
  flaggedPostIds: ReadonlySet<string> = new Set(),
): ThreadFacts {
  return {
    createdAt: thread.createdAt,
    accepted: thread.acceptedPostId !== undefined,
    answers: answers
      .filter((post) => post.hidden?.status !== 'removed')
      .map((post) => ({
        official: post.official === true,
        flagged: post.hidden?.status === 'pending' || flaggedPostIds.has(post.id),
        score: (post.up ?? 0) - (post.down ?? 0),
      })),
  };
}
