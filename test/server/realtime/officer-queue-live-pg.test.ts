import { after } from 'node:test';
import { dropTestSchemas } from '../../support/postgres.js';
import { officerQueueLiveSuite } from './officer-queue-live-suite.js';

after(dropTestSchemas);

officerQueueLiveSuite('postgres');
