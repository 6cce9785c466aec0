import { NotFoundError } from '../common/domain-errors.js';
import type { AuthService } from './auth.service.js';
import type { AuthUser, Role } from './roles.js';
import type { UserRow, UsersRepository } from './users.repository.js';

/** User administration by id: finds the user, then lets the auth service change it and end its sessions. */
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly auth: AuthService,
  ) {}

  list(): Promise<UserRow[]> {
    return this.users.list();
  }

  create(username: string, password: string, role: Role, mustChangePassword: boolean): Promise<UserRow> {
    return this.auth.createUser(username, password, role, mustChangePassword);
  }

  async update(actor: AuthUser, id: number, change: { role?: Role; disabled?: boolean }): Promise<UserRow> {
    return this.auth.updateUser(actor, await this.target(id), change);
  }

  async resetPassword(id: number, password: string): Promise<void> {
    await this.auth.resetPassword(await this.target(id), password);
  }

  async remove(actor: AuthUser, id: number): Promise<void> {
    await this.auth.deleteUser(actor, await this.target(id));
  }

  private async target(id: number): Promise<UserRow> {
    const user = await this.users.get(id);
    if (!user) throw new NotFoundError(`no user ${id}`);
    return user;
  }
}
