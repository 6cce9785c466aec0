import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeviceCredentialsRepository } from '../../src/sites/device-credentials.repository.js';
import { firstOfKind, freshDatabase, type FreshDatabase } from './fresh-database.js';

let db: FreshDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(() => db?.drop());

describe('DeviceCredentialsRepository', () => {
  it('stores, replaces and removes an active site’s hash; knows no unknown site', async () => {
    const repo = new DeviceCredentialsRepository(db.pool);
    const site = firstOfKind(db, 'air').id;
    expect(await repo.hashOf(site)).toBeNull();
    expect(await repo.store(site, 'h1')).toBe(true);
    expect(await repo.store(site, 'h2')).toBe(true);
    expect(await repo.hashOf(site)).toBe('h2');
    expect(await repo.remove(site)).toBe(true);
    expect(await repo.hashOf(site)).toBeNull();
    expect(await repo.store('no-such-site', 'h')).toBe(false);
    expect(await repo.hashOf('no-such-site')).toBeUndefined();
    expect(await repo.remove('no-such-site')).toBe(false);
  });
});
