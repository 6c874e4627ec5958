import { define } from '../../../lib/define.js';
import { OsgAdminMember } from './member.component.js';

export { OsgAdminMember };
define('osg-admin-member', OsgAdminMember);

declare global {
  interface HTMLElementTagNameMap {
    'osg-admin-member': OsgAdminMember;
  }
}
