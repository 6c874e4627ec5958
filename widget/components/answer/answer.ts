import { define } from '../../lib/define.js';
import { OsgAnswer } from './answer.component.js';

export { OsgAnswer };
define('osg-answer', OsgAnswer);

declare global {
  interface HTMLElementTagNameMap {
    'osg-answer': OsgAnswer;
  }
}
