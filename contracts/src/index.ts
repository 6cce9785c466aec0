export * from './metrics.js';
export * from './payloads.js';
export * from './topics.js';
export * from './live.js';
export * from './beaufort.js';
export * from './text.js';
export * from './auth.js';
export * from './review.js';
