// The contract lives in ./contract/, one file per area; this keeps the old import path working.
export * from './contract/index.js';
