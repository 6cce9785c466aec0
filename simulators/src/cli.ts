#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { backfill } from './backfill.js';
import { naturalRate, startFleet } from './fleet.js';
import { backfillPeriod, DEFAULT_TZ } from './period.js';
import { isScenario, SCENARIOS } from './scenarios.js';
import { loadSeedSites } from './seed-sites.js';

const USAGE = `usage: npm run sim -- [options]
  --url mqtt://host:port     broker to publish to (default $MQTT_URL or mqtt://127.0.0.1:1883)
  --scenario NAME            ${SCENARIOS.join(' | ')} (default normal)
  --seed N                   make the run reproducible (default 1)
  --rate N                   total readings per second across the sites (load)
  --from DATE --to DATE      backfill that period as fast as the hub takes it, then exit; a date or
                             date-time without a zone is district time (--tz), a bare --to date
                             includes that day: --from 2026-10-01 --to 2026-10-31 is all October
  --tz ZONE                  the district's time zone (default $TZ_DISTRICT or ${DEFAULT_TZ})
  --credentials FILE         JSON {"<site id>": "<password>"} for brokers that require them
  --sites FILE               sites file (default db/seed/sites.json)`;

function fail(msg: string): never {
  process.stderr.write(`${msg}\n${USAGE}\n`);
  process.exit(2);
}

let args;
try {
  args = parseArgs({
    options: {
      url: { type: 'string', default: process.env.MQTT_URL ?? 'mqtt://127.0.0.1:1883' },
      scenario: { type: 'string', default: 'normal' },
      seed: { type: 'string', default: '1' },
      rate: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      tz: { type: 'string', default: process.env.TZ_DISTRICT ?? DEFAULT_TZ },
      credentials: { type: 'string' },
      sites: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  }).values;
} catch (err) {
  fail((err as Error).message);
}
if (args.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const seed = Number(args.seed);
if (!Number.isInteger(seed)) fail('--seed must be an integer');
if (!isScenario(args.scenario)) fail(`unknown scenario ${args.scenario}`);
const rate = args.rate === undefined ? undefined : Number(args.rate);
if (rate !== undefined && !(rate > 0 && rate <= 1_000_000)) fail('--rate must be a number of readings per second (0 < N ≤ 1000000)');
const sites = loadSeedSites(args.sites);
let passwords: Record<string, string> | undefined;
if (args.credentials) {
  try {
    passwords = JSON.parse(readFileSync(args.credentials, 'utf8')) as Record<string, string>;
  } catch (err) {
    fail(`cannot read --credentials: ${(err as Error).message}`);
  }
}
const log = (m: string): void => void process.stderr.write(`${m}\n`);

if (args.from !== undefined || args.to !== undefined) {
  const period = backfillPeriod(args.from, args.to, args.tz, Date.now());
  if (typeof period === 'string') fail(period);
  const { fromMs, toMs } = period;
  const r = await backfill({ url: args.url, sites, fromMs, toMs, seed, scenario: args.scenario, passwords, log });
  process.stdout.write(
    `backfilled ${new Date(fromMs).toISOString()} … ${new Date(toMs).toISOString()}: ${r.readings} readings and ${r.events} events in ${r.messages} messages, ${r.seconds.toFixed(1)} s (${Math.round(r.readings / r.seconds)} readings/s)\n`,
  );
  process.exit(0);
}

const fleet = startFleet({ url: args.url, sites, seed, scenario: args.scenario, rate, passwords, log });
process.stdout.write(
  `simulating ${sites.length} sites (${args.scenario}, seed ${seed}, ~${Math.round(rate ?? naturalRate(sites))} readings/s) against ${args.url}; Ctrl-C to stop\n`,
);
const stop = (): void => {
  void fleet.stop().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
