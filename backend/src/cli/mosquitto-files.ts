import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { TOPIC_ROOT } from '@tidewatch/contracts';

/** What `mosquitto_passwd` of Mosquitto 2.0 writes: PBKDF2-SHA512, 101 rounds, 12-byte salt. */
export const MOSQUITTO_PBKDF2_ITERATIONS = 101;
const SALT_BYTES = 12;
const HASH_BYTES = 64;

export interface DeviceLogin {
  username: string;
  password: string;
}

/** One line of a Mosquitto 2.0 password file: `user:$7$iterations$salt$hash` (base64). */
export function mosquittoPasswordLine(username: string, password: string, salt: Buffer = randomBytes(SALT_BYTES), iterations = MOSQUITTO_PBKDF2_ITERATIONS): string {
  if (username.includes(':') || /\s/.test(username)) throw new Error(`username ${JSON.stringify(username)} cannot go in a password file`);
  const hash = pbkdf2Sync(password, salt, iterations, HASH_BYTES, 'sha512');
  return `${username}:$7$${iterations}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export function mosquittoPasswordFile(logins: readonly DeviceLogin[]): string {
  return logins.map((l) => mosquittoPasswordLine(l.username, l.password)).join('\n') + '\n';
}

/** Each device writes only under its own site's topics; the hub reads every device topic. */
export function mosquittoAcl(siteIds: readonly string[], hubUser: string): string {
  const lines = [
    '# Written by `npm run devices -- mosquitto`: each device (username = site id) writes only',
    '# under its own site; the hub reads every device topic.',
    `user ${hubUser}`,
    `topic read ${TOPIC_ROOT}/+/+`,
  ];
  for (const id of siteIds) lines.push('', `user ${id}`, `topic write ${TOPIC_ROOT}/${id}/#`);
  return lines.join('\n') + '\n';
}

export interface MosquittoCommand {
  out: string;
  hubUser: string;
  sites: string[];
}

export const DEVICES_USAGE = `usage: npm run devices -- mosquitto --out DIR [--hub-user NAME] [SITE ...]
  Issues a fresh credential for each active site (or only the sites named) in the hub's
  database (DATABASE_URL), writes DIR/passwd and DIR/acl for Mosquitto 2 and prints each
  device's password once. The hub's own login (--hub-user, default tidewatch-hub) is given
  read access in the ACL; its password is added to the password file separately.`;

/** Parses `mosquitto --out DIR [--hub-user NAME] [SITE ...]`; throws with the reason. */
export function parseDevicesArgs(argv: readonly string[]): MosquittoCommand {
  const [command, ...rest] = argv;
  if (command !== 'mosquitto') throw new Error(command ? `unknown command ${command}` : 'no command given');
  const parsed: MosquittoCommand = { out: '', hubUser: 'tidewatch-hub', sites: [] };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === '--out' || arg === '--hub-user') {
      const value = rest[++i];
      if (!value) throw new Error(`${arg} needs a value`);
      if (arg === '--out') parsed.out = value;
      else parsed.hubUser = value;
    } else if (arg.startsWith('--')) {
      throw new Error(`unknown option ${arg}`);
    } else {
      parsed.sites.push(arg);
    }
  }
  if (!parsed.out) throw new Error('--out DIR is required');
  return parsed;
}
