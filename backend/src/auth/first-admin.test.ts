import { describe, expect, it } from 'vitest';
import { settleFirstAdmin } from './first-admin.js';
import type { SessionsRepository } from './sessions.repository.js';
import { UsernameTakenError, type UsersRepository } from './users.repository.js';

describe('the first admin when hubs of a cluster start together on an empty database', () => {
  it('a hub that loses the race to create it goes on with the admin the other created', async () => {
    const users = {
      count: async () => 0,
      create: async () => {
        throw new UsernameTakenError('user admin exists');
      },
      byName: async () => ({ id: 1, username: 'admin', password_generated: false }),
    } as unknown as UsersRepository;
    const sessions = { revokeAll: async () => undefined } as unknown as SessionsRepository;
    expect(await settleFirstAdmin(users, sessions, 'chosen-admin-password')).toEqual({ kind: 'settled' });
  });

  it('any other failure to create it stops the start', async () => {
    const users = {
      count: async () => 0,
      create: async () => {
        throw new Error('connection refused');
      },
    } as unknown as UsersRepository;
    await expect(settleFirstAdmin(users, {} as SessionsRepository, undefined)).rejects.toThrow('connection refused');
  });
});
