import { officerQueueLiveSuite } from './officer-queue-live-suite.js';

officerQueueLiveSuite('json');
