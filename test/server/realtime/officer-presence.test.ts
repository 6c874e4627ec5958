import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MemberSummary } from '../../../server/protocol.js';
import { OfficerPresenceRegistry, TYPING_LAPSE_MS, type PresenceTimers } from '../../../server/realtime/officer-presence.js';

/** A clock the test moves by hand: timers fire when it passes them, in order. */
class ManualTimers implements PresenceTimers {
  now = 0;
  #next = 0;
  readonly #pending = new Map<number, { at: number; fn: () => void }>();

  set(fn: () => void, ms: number): unknown {
    const id = ++this.#next;
    this.#pending.set(id, { at: this.now + ms, fn });
    return id;
  }

  clear(handle: unknown): void {
    this.#pending.delete(handle as number);
  }

  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      const due = [...this.#pending].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.#pending.delete(due[0]);
      this.now = due[1].at;
      due[1].fn();
    }
    this.now = until;
  }
}

const officer = (id: string, name: string): MemberSummary => ({ id, name, reputation: 0, level: 'baru', officer: true });
const BUDI = officer('officer-budi', 'Budi');
const RINA = officer('officer-rina', 'Rina');

function registry() {
  const timers = new ManualTimers();
  const changes: Array<{ threadId: string; by?: string }> = [];
  const presence = new OfficerPresenceRegistry<string>({ timers, onChange: (threadId, by) => changes.push({ threadId, by }) });
  return { timers, changes, presence };
}

describe('officer presence', () => {
  it('lists who has a thread open, never the one asking', () => {
    const { presence } = registry();
    presence.view('budi-tab', BUDI, 't1');
    presence.view('rina-tab', RINA, 't1');
    assert.deepEqual(presence.presence('t1', RINA.id), [{ officer: BUDI, typing: false }]);
    assert.deepEqual(presence.presence('t1', BUDI.id), [{ officer: RINA, typing: false }]);
    assert.deepEqual(presence.presence('t2', BUDI.id), []);
  });

  it('shows typing until it lapses, and a later typing frame pushes the lapse back without another change', () => {
    const { presence, timers, changes } = registry();
    presence.view('budi-tab', BUDI, 't1');
    changes.length = 0;
    assert.equal(presence.typing('budi-tab', 't1'), true);
    assert.deepEqual(changes, [{ threadId: 't1', by: 'budi-tab' }]);
    assert.equal(presence.presence('t1')[0]!.typing, true);

    timers.advance(TYPING_LAPSE_MS - 1000);
    presence.typing('budi-tab', 't1');
    assert.equal(changes.length, 1, 'still typing: nobody needs a frame');
    timers.advance(TYPING_LAPSE_MS - 1);
    assert.equal(presence.presence('t1')[0]!.typing, true, 'the lapse counts from the last typing frame');
    timers.advance(1);
    assert.equal(presence.presence('t1')[0]!.typing, false);
    assert.deepEqual(changes.at(-1), { threadId: 't1', by: undefined });
    assert.equal(changes.length, 2);
  });

  it('refuses typing in a thread the connection does not have open', () => {
    const { presence, changes } = registry();
    assert.equal(presence.typing('budi-tab', 't1'), false);
    presence.view('budi-tab', BUDI, 't2');
    assert.equal(presence.typing('budi-tab', 't1'), false);
    assert.equal(presence.presence('t2')[0]!.typing, false);
    assert.deepEqual(changes, [{ threadId: 't2', by: 'budi-tab' }]);
  });

  it('counts an officer with two tabs once, typing if either tab types, until both leave', () => {
    const { presence } = registry();
    presence.view('budi-1', BUDI, 't1');
    presence.view('budi-2', BUDI, 't1');
    presence.typing('budi-2', 't1');
    assert.deepEqual(presence.presence('t1', RINA.id), [{ officer: BUDI, typing: true }]);
    presence.leave('budi-2');
    assert.deepEqual(presence.presence('t1', RINA.id), [{ officer: BUDI, typing: false }]);
    presence.leave('budi-1');
    assert.deepEqual(presence.presence('t1', RINA.id), []);
  });

  it('moving to another thread leaves the first one and stops typing there; its lapse then changes nothing', () => {
    const { presence, timers, changes } = registry();
    presence.view('budi-tab', BUDI, 't1');
    presence.typing('budi-tab', 't1');
    changes.length = 0;
    presence.view('budi-tab', BUDI, 't2');
    assert.deepEqual(changes, [
      { threadId: 't1', by: 'budi-tab' },
      { threadId: 't2', by: 'budi-tab' },
    ]);
    assert.deepEqual(presence.presence('t1'), []);
    assert.deepEqual(presence.presence('t2'), [{ officer: BUDI, typing: false }]);
    timers.advance(TYPING_LAPSE_MS);
    assert.equal(changes.length, 2);
  });

  it('viewing the same thread again changes nothing; null closes it', () => {
    const { presence, changes } = registry();
    presence.view('budi-tab', BUDI, 't1');
    presence.view('budi-tab', BUDI, 't1');
    assert.equal(changes.length, 1);
    presence.view('budi-tab', BUDI, null);
    assert.equal(presence.viewing('budi-tab'), undefined);
    assert.deepEqual(changes.at(-1), { threadId: 't1', by: 'budi-tab' });
    presence.view('budi-tab', BUDI, null);
    assert.equal(changes.length, 2);
  });
});
