import { define } from '../../../lib/define.js';
import { OsgAdminAnswer } from './answer.component.js';

export { OsgAdminAnswer };
define('osg-admin-answer', OsgAdminAnswer);

declare global {
  interface HTMLElementTagNameMap {
    'osg-admin-answer': OsgAdminAnswer;
  }
}
