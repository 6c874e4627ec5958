import { after } from 'node:test';
import { dropTestSchemas } from '../../support/postgres.js';
import { followUpClockSuite } from './follow-up-clock-suite.js';

after(dropTestSchemas);

followUpClockSuite('postgres');
