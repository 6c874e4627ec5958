import { define } from '../../lib/define.js';
import { OsgThreadView } from './thread-view.component.js';

export { OsgThreadView };
define('osg-thread-view', OsgThreadView);

declare global {
  interface HTMLElementTagNameMap {
    'osg-thread-view': OsgThreadView;
  }
}
