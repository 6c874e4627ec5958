import type { CategoryView, SiteView } from '../protocol.js';
import { DEFAULT_FOLLOW_UP_SETTINGS, defaultTrackingPrefix, type SiteFollowUpSettings } from './follow-up/calendar.js';
import { LIMITS } from './rules.js';

/** A site's follow-up settings as in force: every default filled in, the tracking prefix resolved. */
export type SiteFollowUp = SiteFollowUpSettings & { trackingPrefix: string };

/** A configured site (one regional office's website). `origins` may embed the widget. */
export interface SiteSettings {
  id: string;
  name: string;
  origins: string[];
  categories: CategoryView[];
  languages: Array<'id' | 'en'>;
  /** Time zone, working calendar, SLA targets, tracking prefix and queue rules (docs/FOLLOW-UP.md). */
  followUp: SiteFollowUp;
}

/** The kepegawaian topics every site starts with; a site's configuration may replace them. */
export const DEFAULT_CATEGORIES: CategoryView[] = [
  { id: 'kenaikan-pangkat', label: { id: 'Kenaikan Pangkat', en: 'Rank Promotion' } },
  { id: 'mutasi', label: { id: 'Mutasi', en: 'Transfer' } },
  { id: 'pensiun', label: { id: 'Pensiun', en: 'Pension' } },
  { id: 'cpns-pppk', label: { id: 'CPNS/PPPK', en: 'CPNS/PPPK Recruitment' } },
  { id: 'data-asn', label: { id: 'Data ASN (SIASN)', en: 'Civil Servant Data (SIASN)' } },
  { id: 'cuti', label: { id: 'Cuti', en: 'Leave' } },
  { id: 'gaji-tunjangan', label: { id: 'Gaji & Tunjangan', en: 'Salary & Allowances' } },
  { id: 'disiplin', label: { id: 'Disiplin', en: 'Discipline' } },
  { id: 'lainnya', label: { id: 'Lainnya', en: 'Other' } },
];

/** The site a fresh install serves: the demo page of a fictional Kanreg I Yogyakarta website. */
export const DEMO_SITE: SiteSettings = {
  id: 'kanreg1',
  name: 'Kanreg I BKN Yogyakarta (demo)',
  origins: [],
  categories: DEFAULT_CATEGORIES,
  languages: ['id', 'en'],
  followUp: { ...DEFAULT_FOLLOW_UP_SETTINGS, trackingPrefix: defaultTrackingPrefix('kanreg1') },
};

export function siteView(site: SiteSettings): SiteView {
  return {
    id: site.id,
    name: site.name,
    categories: site.categories,
    languages: site.languages,
    limits: {
      titleMin: LIMITS.titleMin,
      titleMax: LIMITS.titleMax,
      bodyMin: LIMITS.bodyMin,
      bodyMax: LIMITS.bodyMax,
      answerMin: LIMITS.answerMin,
      answerMax: LIMITS.answerMax,
      nameMin: LIMITS.nameMin,
      nameMax: LIMITS.nameMax,
    },
  };
}

/** Whether a browser origin may talk to a site. The server's own origin serves the demo and admin page. */
export function originAllowed(site: SiteSettings, origin: string | undefined, ownOrigins: readonly string[]): boolean {
  // No Origin header: not a browser (curl, another BKN system); origin checks protect browsers only.
  if (origin === undefined) return true;
  return ownOrigins.includes(origin) || site.origins.includes(origin);
}
