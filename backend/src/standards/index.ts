export * from './aqi.js';
export * from './aqi-index.js';
export * from './composite.js';
export * from './gas.js';
export * from './validity.js';
export * from './water.js';
export { beaufort } from '@tidewatch/contracts';
