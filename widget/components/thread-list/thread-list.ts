import { define } from '../../lib/define.js';
import { OsgThreadList } from './thread-list.component.js';

export { OsgThreadList };
define('osg-thread-list', OsgThreadList);

declare global {
  interface HTMLElementTagNameMap {
    'osg-thread-list': OsgThreadList;
  }
}
