import { after } from 'node:test';
import { dropTestSchemas } from '../../support/postgres.js';
import { roundRobinSuite } from './round-robin-suite.js';

after(dropTestSchemas);

roundRobinSuite('postgres');
