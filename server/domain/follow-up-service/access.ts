/**
 * Who an officer is now: the token proves the member, the accounts in force give role and sites (never the
 * token's claims), so a removed officer or a change of sites takes effect at the very next request.
 */
import type { OfficerMeView } from '../../protocol.js';
import { DomainError } from '../errors.js';
import { accountRole, accountSites } from '../officer-accounts.js';
import { officerId } from '../officer-service.js';
import type { CheckOptions } from '../service.js';
import type { FollowUpCore, OfficerContext } from './core.js';

/**
 * The officer a token proves, with role and sites from the accounts in force now. Throws DomainError
 * `unauthorized`, `session_ended`, `token_expired` (from the session check) or `forbidden` (not an officer).
 */
export async function officerContext(core: FollowUpCore, token: string | undefined, check?: CheckOptions): Promise<OfficerContext> {
  const member = await core.officers.officer(token, check);
  const access = core.officerAccess(member.id);
  if (!access) throw new DomainError('forbidden', 'This officer account no longer exists');
  return { member, summary: core.members.summary(member), ...access };
}

/** The officer's role, sites (with zone and categories) and the colleagues who share any of them. */
export async function officerMe(core: FollowUpCore, ctx: OfficerContext): Promise<OfficerMeView> {
  const siteIds = core.consultation.siteIds();
  const colleagues = core.accounts().flatMap((account) => {
    const sites = accountSites(account, siteIds).filter((s) => ctx.sites.includes(s));
    return sites.length ? [{ id: officerId(account.username), role: accountRole(account), sites }] : [];
  });
  const people = await core.members.summaries(colleagues.map((c) => c.id));
  return {
    officer: ctx.summary,
    role: ctx.role,
    sites: ctx.sites.map((id) => {
      const site = core.consultation.site(id);
      return { id, name: site.name, timeZone: site.followUp.timeZone, categories: site.categories };
    }),
    colleagues: colleagues.flatMap((c) => {
      const officer = people.get(c.id);
      return officer ? [{ officer, role: c.role, sites: c.sites }] : [];
    }),
  };
}
