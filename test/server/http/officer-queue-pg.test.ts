import { after } from 'node:test';
import { dropTestSchemas } from '../../support/postgres.js';
import { officerQueueSuite } from './officer-queue-suite.js';

after(dropTestSchemas);

officerQueueSuite('postgres');
