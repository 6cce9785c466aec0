/** Device credentials from the command line: `npm run devices -- mosquitto --out DIR [SITE ...]`. */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createPool, type DatabasePool } from '../database/pool.js';
import { createLogger } from '../logging/logger.js';
import { DeviceCredentials } from '../sites/device-credentials.js';
import { DeviceCredentialsRepository } from '../sites/device-credentials.repository.js';
import { SitesRepository } from '../sites/sites.repository.js';
import { DEVICES_USAGE, mosquittoAcl, mosquittoPasswordFile, parseDevicesArgs, type DeviceLogin, type MosquittoCommand } from './mosquitto-files.js';

/** The active sites named (all of them when none is), refusing a name that is not one. */
async function activeSites(pool: DatabasePool, wanted: readonly string[]): Promise<string[]> {
  const active = (await new SitesRepository(pool).active()).map((s) => s.id);
  const found = new Set(active);
  const missing = wanted.filter((id) => !found.has(id));
  if (missing.length > 0) throw new Error(`no active site ${missing.join(', ')}`);
  return wanted.length === 0 ? active : active.filter((id) => wanted.includes(id));
}

async function issueAll(pool: DatabasePool, sites: readonly string[]): Promise<DeviceLogin[]> {
  const credentials = new DeviceCredentials(new DeviceCredentialsRepository(pool));
  const logins: DeviceLogin[] = [];
  for (const id of sites) {
    const login = await credentials.issue(id);
    if (login) logins.push(login);
  }
  return logins;
}

function writeFiles(cmd: MosquittoCommand, logins: readonly DeviceLogin[]): void {
  mkdirSync(cmd.out, { recursive: true });
  const passwd = path.join(cmd.out, 'passwd');
  writeFileSync(passwd, mosquittoPasswordFile(logins), { mode: 0o600 });
  chmodSync(passwd, 0o600);
  writeFileSync(path.join(cmd.out, 'acl'), mosquittoAcl(logins.map((l) => l.username), cmd.hubUser));
}

function parseOrExit(): MosquittoCommand {
  try {
    return parseDevicesArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`devices: ${(err as Error).message}\n${DEVICES_USAGE}\n`);
    process.exit(2);
  }
}

async function main(): Promise<void> {
  const cmd = parseOrExit();
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL must name the hub’s database');
  const pool = createPool(url, 30_000, createLogger('warn'));
  try {
    const logins = await issueAll(pool, await activeSites(pool, cmd.sites));
    writeFiles(cmd, logins);
    process.stderr.write(`wrote ${path.join(cmd.out, 'passwd')} and ${path.join(cmd.out, 'acl')} for ${logins.length} devices; their passwords (shown once):\n`);
    for (const l of logins) process.stdout.write(`${l.username} ${l.password}\n`);
  } finally {
    await pool.end();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`devices: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
