import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_QUEUE_RULES, type QueueRules } from '../../../../server/domain/follow-up/calendar.js';
import { queueDecision, threadFacts, type AnswerFacts, type ThreadFacts } from '../../../../server/domain/follow-up/queue-rules.js';
import { calendar, iso, wib } from './helpers.js';

// Rules: no answer after 120 working minutes; no accepted or officer answer after 16 working hours (960 min).
// A thread asked Mon 7 Dec 07:30 WIB: unanswered at 09:30; without an official answer at Mon 510 + Tue 450
// → Tue 8 Dec 15:00.

const cal = calendar();
const RULES: QueueRules = { unansweredMinutes: 120, noOfficialAnswerHours: 16, flagged: true, negativeScore: true };
const member: AnswerFacts = { official: false, flagged: false, score: 0 };
const thread = (answers: AnswerFacts[] = [], accepted = false, createdAt = iso(wib('2026-12-07 07:30'))): ThreadFacts => ({ createdAt, answers, accepted });

describe('queue rules', () => {
  it('queue a thread nobody answered, on time and not before', () => {
    assert.deepEqual(queueDecision(thread(), RULES, cal, wib('2026-12-07 09:29')), { enter: false, checkAt: wib('2026-12-07 09:30') });
    assert.deepEqual(queueDecision(thread(), RULES, cal, wib('2026-12-07 09:30')), { enter: true, reason: 'unanswered' });
  });

  it('queue a thread with only members answers once the official-answer time is up', () => {
    assert.deepEqual(queueDecision(thread([member]), RULES, cal, wib('2026-12-07 09:30')), { enter: false, checkAt: wib('2026-12-08 15:00') });
    assert.deepEqual(queueDecision(thread([member]), RULES, cal, wib('2026-12-08 15:00')), { enter: true, reason: 'no_official_answer' });
  });

  it('name the more telling reason when both time rules fired', () => {
    assert.deepEqual(queueDecision(thread(), RULES, cal, wib('2026-12-09 08:00')), { enter: true, reason: 'unanswered' });
  });

  it('need nothing more once an answer is accepted or an officer answered', () => {
    assert.deepEqual(queueDecision(thread([member], true), RULES, cal, wib('2026-12-20 08:00')), { enter: false });
    assert.deepEqual(queueDecision(thread([{ ...member, official: true }]), RULES, cal, wib('2026-12-20 08:00')), { enter: false });
  });

  it('queue a flagged answer or a negative score at once', () => {
    const early = wib('2026-12-07 07:31');
    assert.deepEqual(queueDecision(thread([{ ...member, flagged: true }]), RULES, cal, early), { enter: true, reason: 'flagged' });
    assert.deepEqual(queueDecision(thread([{ ...member, score: -1 }]), RULES, cal, early), { enter: true, reason: 'negative_score' });
    assert.deepEqual(queueDecision(thread([{ ...member, score: -1, flagged: true }]), RULES, cal, early), { enter: true, reason: 'flagged' });
    assert.equal(queueDecision(thread([{ ...member, score: 0, official: true }]), RULES, cal, early).enter, false, 'zero is not below zero');
  });

  it('count working time only, from Monday for a question asked on Saturday', () => {
    const saturday = thread([], false, iso(wib('2026-12-05 10:00')));
    assert.deepEqual(queueDecision(saturday, RULES, cal, wib('2026-12-06 10:00')), { enter: false, checkAt: wib('2026-12-07 09:30') });
  });

  it('can each be switched off', () => {
    const off: QueueRules = { unansweredMinutes: false, noOfficialAnswerHours: false, flagged: false, negativeScore: false };
    const bad = thread([{ ...member, flagged: true, score: -3 }]);
    assert.deepEqual(queueDecision(bad, off, cal, wib('2026-12-20 08:00')), { enter: false });
    assert.deepEqual(queueDecision(thread(), { ...off, noOfficialAnswerHours: 16 }, cal, wib('2026-12-07 10:00')), {
      enter: false,
      checkAt: wib('2026-12-08 15:00'),
    });
    assert.deepEqual(DEFAULT_QUEUE_RULES, { unansweredMinutes: 120, noOfficialAnswerHours: 16, flagged: true, negativeScore: true });
  });
});

describe('thread facts from stored posts', () => {
  it('leave out removed answers and read flags and scores', () => {
    const facts = threadFacts(
      { createdAt: '2026-12-07T00:30:00.000Z', acceptedPostId: 'p2' },
      [
        { id: 'p1', up: 1, down: 3 },
        { id: 'p2', official: true, up: 2 },
        { id: 'p3', hidden: { status: 'pending' } },
        { id: 'p4', hidden: { status: 'removed' } },
        { id: 'p5' },
      ],
      new Set(['p5']),
    );
    assert.deepEqual(facts, {
      createdAt: '2026-12-07T00:30:00.000Z',
      accepted: true,
      answers: [
        { official: false, flagged: false, score: -2 },
        { official: true, flagged: false, score: 2 },
        { official: false, flagged: true, score: 0 },
        { official: false, flagged: true, score: 0 },
      ],
    });
  });
});
