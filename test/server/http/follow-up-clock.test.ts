import { followUpClockSuite } from './follow-up-clock-suite.js';

followUpClockSuite('json');
