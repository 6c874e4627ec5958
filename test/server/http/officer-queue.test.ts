import { officerQueueSuite } from './officer-queue-suite.js';

officerQueueSuite('json');
