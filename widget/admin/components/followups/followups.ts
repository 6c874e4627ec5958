import { define } from '../../../lib/define.js';
import { OsgAdminFollowUps } from './followups.component.js';

export { OsgAdminFollowUps };
define('osg-admin-followups', OsgAdminFollowUps);

declare global {
  interface HTMLElementTagNameMap {
    'osg-admin-followups': OsgAdminFollowUps;
  }
}
