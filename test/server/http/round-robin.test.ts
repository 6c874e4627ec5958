import { roundRobinSuite } from './round-robin-suite.js';

roundRobinSuite('json');
