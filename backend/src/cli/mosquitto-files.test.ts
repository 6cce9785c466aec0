import { pbkdf2Sync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { mosquittoAcl, mosquittoPasswordFile, mosquittoPasswordLine, parseDevicesArgs } from './mosquitto-files.js';

/** Written by Mosquitto 2.0.11's own `mosquitto_passwd -b file dev1 secretpw`. */
const FROM_MOSQUITTO_PASSWD = 'dev1:$7$101$mcQYTpPM8vA2e5xr$BEgYyB4UDL1EOMbQ19/C3ozFslc/Pi6YfaNt1510s62iw7xq7IHYi43IUAOKrkJUvWoAjoIs0qQ8Fy/6haXfJA==';

describe('mosquittoPasswordLine', () => {
  it('writes exactly what mosquitto_passwd writes for the same salt', () => {
    const salt = Buffer.from('mcQYTpPM8vA2e5xr', 'base64');
    expect(mosquittoPasswordLine('dev1', 'secretpw', salt)).toBe(FROM_MOSQUITTO_PASSWD);
    expect(mosquittoPasswordLine('dev1', 'secretpx', salt)).not.toBe(FROM_MOSQUITTO_PASSWD);
  });

  it('salts every line afresh, with a hash that checks against its own salt', () => {
    const file = mosquittoPasswordFile([
      { username: 'air-hekou', password: 'p1' },
      { username: 'air-hekou', password: 'p1' },
    ]);
    const lines = file.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    const [a, b] = lines.map((l) => l.match(/^air-hekou:\$7\$101\$([A-Za-z0-9+/=]{16})\$([A-Za-z0-9+/=]{88})$/)!);
    expect(a![1]).not.toBe(b![1]);
    expect(pbkdf2Sync('p1', Buffer.from(a![1]!, 'base64'), 101, 64, 'sha512').toString('base64')).toBe(a![2]);
  });

  it('refuses a username that would break the file', () => {
    expect(() => mosquittoPasswordLine('a:b', 'x')).toThrow();
    expect(() => mosquittoPasswordLine('a b', 'x')).toThrow();
  });
});

describe('mosquittoAcl', () => {
  it('lets each device write only under its own site and the hub read every device topic', () => {
    const acl = mosquittoAcl(['air-hekou', 'gas-hekou-riser'], 'tidewatch-hub');
    const rules = acl.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(rules).toEqual([
      'user tidewatch-hub',
      'topic read tidewatch/v1/sites/+/+',
      'user air-hekou',
      'topic write tidewatch/v1/sites/air-hekou/#',
      'user gas-hekou-riser',
      'topic write tidewatch/v1/sites/gas-hekou-riser/#',
    ]);
  });
});

describe('parseDevicesArgs', () => {
  it('reads the output folder, the hub user and the sites', () => {
    expect(parseDevicesArgs(['mosquitto', '--out', 'docker/mosquitto/'])).toEqual({ out: 'docker/mosquitto/', hubUser: 'tidewatch-hub', sites: [] });
    expect(parseDevicesArgs(['mosquitto', 'air-hekou', '--hub-user', 'hub2', '--out', 'x', 'port-hekou'])).toEqual({ out: 'x', hubUser: 'hub2', sites: ['air-hekou', 'port-hekou'] });
  });

  it('refuses what it does not understand', () => {
    expect(() => parseDevicesArgs([])).toThrow(/no command/);
    expect(() => parseDevicesArgs(['passwd', '--out', 'x'])).toThrow(/unknown command/);
    expect(() => parseDevicesArgs(['mosquitto'])).toThrow(/--out/);
    expect(() => parseDevicesArgs(['mosquitto', '--out'])).toThrow(/needs a value/);
    expect(() => parseDevicesArgs(['mosquitto', '--out', 'x', '--force'])).toThrow(/unknown option/);
  });
});
