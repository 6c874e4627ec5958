/** Officers on a thread over several instances (server/realtime/shared-presence.ts, mergeOfficers). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MemberSummary, OfficerPresence } from '../../../server/protocol.js';
import { mergeOfficers } from '../../../server/realtime/shared-presence.js';

const officer = (id: string, name: string): MemberSummary => ({ id, name, reputation: 0, level: 'baru', officer: true });
const at = (o: MemberSummary, typing: boolean): OfficerPresence => ({ officer: o, typing });

describe('merging officers of several instances', () => {
  const budi = officer('officer-budi', 'Budi Santoso');
  const rina = officer('officer-rina', 'Rina Wulandari');
  const andi = officer('officer-andi', 'Andi Pratama');

  it('lists an officer open on two instances once, typing if typing on either, sorted by name', () => {
    const merged = mergeOfficers([at(rina, false), at(budi, false)], [at(budi, true)], [at(andi, false)]);
    assert.deepEqual(
      merged.map((p) => [p.officer.name, p.typing]),
      [
        ['Andi Pratama', false],
        ['Budi Santoso', true],
        ['Rina Wulandari', false],
      ],
    );
  });

  it('does not let a later "not typing" undo an earlier "typing"', () => {
    assert.equal(mergeOfficers([at(budi, true)], [at(budi, false)])[0]!.typing, true);
  });
});
