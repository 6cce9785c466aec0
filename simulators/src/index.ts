export { startFleet, type Fleet, type FleetOptions } from './fleet.js';
export { normalValues, districtHour, type SimSite } from './models.js';
export { Random } from './random.js';
export { loadSeedSites } from './seed-sites.js';
