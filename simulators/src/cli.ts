#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { startFleet } from './fleet.js';
import { loadSeedSites } from './seed-sites.js';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: process.env.MQTT_URL ?? 'mqtt://127.0.0.1:1883' },
    seed: { type: 'string', default: '1' },
    sites: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
  strict: true,
});

if (values.help) {
  console.log('usage: npm run sim -- [--url mqtt://host:port] [--seed N] [--sites path/to/sites.json]');
  process.exit(0);
}
const seed = Number(values.seed);
if (!Number.isInteger(seed)) {
  console.error('--seed must be an integer');
  process.exit(2);
}
const sites = loadSeedSites(values.sites);
const fleet = startFleet({ url: values.url, sites, seed, log: (m) => console.error(m) });
console.log(`simulating ${sites.length} sites against ${values.url} (seed ${seed}); Ctrl-C to stop`);
const stop = (): void => {
  void fleet.stop().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
