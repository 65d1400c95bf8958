/**
 * Every port of the core: what it needs from the outside world, in its own words. Adapters in shared/adapters
 * implement them with the AWS SDK; tests use in-memory fakes. No SDK type appears here.
 */
export type * from './connect.js';
export type * from './identity-center.js';
export type * from './links.js';
export type * from './operator.js';
export type * from './queues.js';
