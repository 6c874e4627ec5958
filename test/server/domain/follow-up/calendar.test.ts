import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import {
  DEFAULT_FOLLOW_UP_SETTINGS,
  defaultTrackingPrefix,
  parseDayHours,
  parseFollowUpSettings,
  siteFollowUpProblems,
  siteFollowUpSettingsSchema,
  slaTargetsFor,
} from '../../../../server/domain/follow-up/calendar.js';

/** The messages as server/config.ts prints them: "<path>: <message>", one per problem. */
function problems(raw: unknown, schema: z.ZodType = siteFollowUpSettingsSchema): string[] {
  const parsed = schema.safeParse(raw);
  assert.equal(parsed.success, false, 'expected the settings to be refused');
  return parsed.error!.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message));
}

describe('follow-up settings', () => {
  it('default to WIB office hours, 240/2400 working minutes, 10 working days', () => {
    assert.deepEqual(parseFollowUpSettings({}), DEFAULT_FOLLOW_UP_SETTINGS);
    assert.deepEqual(DEFAULT_FOLLOW_UP_SETTINGS.workingHours, {
      mon: '07:30-16:00',
      tue: '07:30-16:00',
      wed: '07:30-16:00',
      thu: '07:30-16:00',
      fri: '07:30-16:30',
    });
    assert.equal(DEFAULT_FOLLOW_UP_SETTINGS.timeZone, 'Asia/Jakarta');
    assert.deepEqual(DEFAULT_FOLLOW_UP_SETTINGS.sla, { firstResponseMinutes: 240, resolutionMinutes: 2400, categories: {} });
    assert.equal(DEFAULT_FOLLOW_UP_SETTINGS.autoCloseWorkingDays, 10);
  });

  it('fill in what a site leaves out, part by part', () => {
    const s = parseFollowUpSettings({
      timeZone: 'Asia/Jayapura',
      workingHours: { mon: '08:00-16:00' },
      holidays: ['2026-12-25'],
      sla: { firstResponseMinutes: 120, categories: { pensiun: { resolutionMinutes: 4800 } } },
      trackingPrefix: 'KR9',
      queueRules: { flagged: false, unansweredMinutes: false },
    });
    assert.deepEqual(s.workingHours, { mon: '08:00-16:00' }, 'a missing day is closed, not defaulted');
    assert.deepEqual(s.sla, { firstResponseMinutes: 120, resolutionMinutes: 2400, categories: { pensiun: { resolutionMinutes: 4800 } } });
    assert.deepEqual(s.queueRules, { unansweredMinutes: false, noOfficialAnswerHours: 16, flagged: false, negativeScore: true });
    assert.equal(s.autoCloseWorkingDays, 10);
    assert.equal(s.trackingPrefix, 'KR9');
  });

  it('explain bad working hours, one message per day', () => {
    assert.deepEqual(
      problems({ workingHours: { mon: '7:30-16', tue: '16:00-07:30', wed: '07:30-12:00,11:00-16:00', sat: '24:30-25:00', monday: '07:30-16:00', thu: 8 } }),
      [
        'workingHours.mon: "7:30-16" is not HH:MM-HH:MM',
        'workingHours.tue: "16:00-07:30": the start must be before the end',
        'workingHours.wed: "07:30-12:00,11:00-16:00": ranges must be in order and must not overlap',
        'workingHours.sat: "24:30-25:00" is not HH:MM-HH:MM',
        'workingHours.monday: unknown day; use sun, mon, tue, wed, thu, fri, sat',
        'workingHours.thu: must be text like "07:30-16:00"',
      ],
    );
    assert.deepEqual(problems({ workingHours: {} }), ['workingHours: at least one day needs working hours, e.g. {"mon":"07:30-16:00"}']);
  });

  it('explain bad holidays', () => {
    assert.deepEqual(problems({ holidays: ['2026-12-25', '2026-02-30', '2026-12-25', '25-12-2026', 20261225] }), [
      'holidays.1: "2026-02-30" is not a real date YYYY-MM-DD',
      'holidays.2: "2026-12-25" is listed twice',
      'holidays.3: "25-12-2026" is not a real date YYYY-MM-DD',
      'holidays.4: must be a date "YYYY-MM-DD"',
    ]);
  });

  it('explain bad zones, targets, prefixes and rules', () => {
    assert.deepEqual(problems({ timeZone: 'Asia/Singapore' }), ['timeZone: must be Asia/Jakarta (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT)']);
    assert.deepEqual(problems({ trackingPrefix: 'kr1' }), ['trackingPrefix: must be 2–6 capital letters or digits, e.g. KR1']);
    assert.deepEqual(problems({ sla: { firstResponseMinutes: 'empat jam' } }), ['sla.firstResponseMinutes: must be a whole number of minutes']);
    assert.deepEqual(problems({ sla: { resolutionMinutes: 0 } }), ['sla.resolutionMinutes: must be between 1 and 525600 minutes']);
    assert.deepEqual(problems({ sla: { firstResponseMinutes: 3000 } }), ['sla: firstResponseMinutes (3000) must not exceed resolutionMinutes (2400)']);
    assert.deepEqual(problems({ sla: { categories: { 'Pensiun!': {}, pensiun: { firstResponseMinutes: 2500 } } } }), [
      'sla.categories.Pensiun!: not a category id (1–40 of a-z 0-9 -)',
      'sla.categories.pensiun: firstResponseMinutes (2500) must not exceed resolutionMinutes (2400)',
    ]);
    assert.deepEqual(problems({ autoCloseWorkingDays: 0 }), ['autoCloseWorkingDays: must be between 1 and 60 working days']);
    assert.deepEqual(problems({ queueRules: { unansweredMinutes: true, noOfficialAnswerHours: 0, negativeScore: 'ya' } }), [
      'queueRules.unansweredMinutes: must be a whole number of working minutes (1–525600) or false to switch it off',
      'queueRules.noOfficialAnswerHours: must be a whole number of working hours (1–8760) or false to switch it off',
      'queueRules.negativeScore: must be true or false',
    ]);
    assert.deepEqual(problems({ slaa: {} }), ['Unrecognized key: "slaa"']);
  });

  it('embed into a site schema with the site in the path, as config.ts will', () => {
    const sites = z.array(z.strictObject({ id: z.string(), ...siteFollowUpSettingsSchema.shape }));
    assert.deepEqual(problems([{ id: 'kanreg1' }, { id: 'kanreg4', workingHours: { fri: '07:30-16' } }], sites), [
      '1.workingHours.fri: "07:30-16" is not HH:MM-HH:MM',
    ]);
    const [site] = sites.parse([{ id: 'kanreg4', timeZone: 'Asia/Makassar' }]);
    assert.equal(site!.timeZone, 'Asia/Makassar');
    assert.deepEqual(site!.workingHours, DEFAULT_FOLLOW_UP_SETTINGS.workingHours);
  });
});

describe('working hours of a day', () => {
  it('parse into minute ranges, with 24:00 allowed as an end', () => {
    assert.deepEqual(parseDayHours('07:30-16:00'), [[450, 960]]);
    assert.deepEqual(parseDayHours('07:30-12:00, 13:00-16:00'), [[450, 720], [780, 960]]);
    assert.deepEqual(parseDayHours('00:00-24:00'), [[0, 1440]]);
    assert.equal(parseDayHours('24:00-24:00'), '"24:00-24:00" is not HH:MM-HH:MM');
    assert.equal(parseDayHours('07:60-08:00'), '"07:60-08:00" is not HH:MM-HH:MM');
  });
});

describe('SLA targets per category', () => {
  it('take the category overrides and fall back to the site targets', () => {
    const sla = { firstResponseMinutes: 240, resolutionMinutes: 2400, categories: { pensiun: { resolutionMinutes: 4800 } } };
    assert.deepEqual(slaTargetsFor(sla, 'pensiun'), { firstResponseMinutes: 240, resolutionMinutes: 4800 });
    assert.deepEqual(slaTargetsFor(sla, 'mutasi'), { firstResponseMinutes: 240, resolutionMinutes: 2400 });
    assert.deepEqual(slaTargetsFor(sla, 'constructor'), { firstResponseMinutes: 240, resolutionMinutes: 2400 }, 'no inherited keys');
  });
});

describe('checks across sites', () => {
  it('derive tracking prefixes from site ids', () => {
    assert.equal(defaultTrackingPrefix('kanreg1'), 'KR1');
    assert.equal(defaultTrackingPrefix('kanreg14'), 'KR14');
    assert.equal(defaultTrackingPrefix('kanreg-xiv'), 'KRXIV');
    assert.equal(defaultTrackingPrefix('bkn-pusat'), 'BKNPUS');
    assert.equal(defaultTrackingPrefix('a'), 'A0');
  });

  it('refuse unknown categories and a prefix used twice', () => {
    const sla = DEFAULT_FOLLOW_UP_SETTINGS.sla;
    const categories = [{ id: 'pensiun' }, { id: 'mutasi' }];
    assert.deepEqual(
      siteFollowUpProblems([
        { id: 'kanreg1', categories, sla: { ...sla, categories: { pensiun: { resolutionMinutes: 4800 }, pensiunn: {} } } },
        { id: 'kanreg2', categories, sla, trackingPrefix: 'KR1' },
        { id: 'kanreg3', categories, sla },
      ]),
      ["kanreg1.sla.categories.pensiunn: not one of the site's categories", 'kanreg2.trackingPrefix: "KR1" is already used by site "kanreg1"'],
    );
  });
});
