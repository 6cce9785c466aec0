import type { SessionTokens } from '@tidewatch/contracts';
import { ConflictError, InvalidRequestError, TooManyRequestsError, UnauthenticatedError } from '../common/domain-errors.js';
import { passwordProblem } from './password-policy.js';
import { LoginLockout } from './login-lockout.js';
import type { Role, AuthUser } from './roles.js';
import type { SessionsRepository } from './sessions.repository.js';
import type { TokenService } from './token.service.js';
import type { UserRow, UsersRepository } from './users.repository.js';

export type IssuedTokens = SessionTokens;

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

export class LockedOutError extends TooManyRequestsError {
  constructor(retryAfterMs: number) {
    super(`too many failed sign-ins for this username: try again in ${Math.ceil(retryAfterMs / 60_000)} min`, retryAfterMs / 1000);
  }
}
export class WrongCredentialsError extends UnauthenticatedError {
  constructor() {
    super('wrong username or password');
  }
}
export class PasswordRejectedError extends InvalidRequestError {}
export class UserChangeRefusedError extends ConflictError {}

/** Sessions of a user that just ended: one (`only`), or all of them but `except`. Live sockets listen. */
export interface RevokedSessions {
  userId: number;
  only?: number;
  except?: number;
}
export type SessionsRevoked = (revoked: RevokedSessions) => void;

/**
 * Sign-in, sessions and passwords. Access tokens are short-lived and name a session; every
 * request is checked against the database, so logout, a new password, a new role, a disabled
 * or removed account take effect at once (sockets included, through `onRevoked`).
 */
export class AuthService {
  private readonly lockout = new LoginLockout();
  private readonly revokedListeners: SessionsRevoked[] = [];

  constructor(
    private readonly users: UsersRepository,
    private readonly sessions: SessionsRepository,
    private readonly tokens: TokenService,
    private readonly sessionTtlS: number,
    private readonly now: () => number = Date.now,
  ) {}

  onRevoked(fn: SessionsRevoked): () => void {
    this.revokedListeners.push(fn);
    return () => this.revokedListeners.splice(this.revokedListeners.indexOf(fn), 1);
  }

  async login(username: string, password: string, client: ClientInfo): Promise<{ user: UserRow; tokens: IssuedTokens }> {
    const wait = this.lockout.retryAfterMs(username, this.now());
    if (wait > 0) throw new LockedOutError(wait);
    const user = await this.users.verify(username, password);
    if (!user) {
      const locked = this.lockout.failed(username, this.now());
      if (locked > 0) throw new LockedOutError(locked);
      throw new WrongCredentialsError();
    }
    this.lockout.succeeded(username);
    const s = await this.sessions.create(user.id, this.sessionTtlS, client.ip, client.userAgent);
    return { user, tokens: this.issue(user, s.sessionId, s.refreshToken) };
  }

  /** New tokens for a refresh token; null when it is unknown, expired or revoked (a replayed one revokes its session). */
  async refresh(refreshToken: string): Promise<IssuedTokens | null> {
    const r = await this.sessions.rotate(refreshToken, this.sessionTtlS);
    if (!r || 'replayed' in r) return null;
    const user = await this.users.get(r.userId);
    if (!user || user.disabled) return null;
    return this.issue(user, r.sessionId, r.refreshToken);
  }

  /** The user a bearer token speaks for now, or null. */
  async authenticate(token: string | undefined): Promise<AuthUser | null> {
    const claims = this.tokens.verify(token);
    if (!claims) return null;
    const u = await this.users.sessionUser(claims.userId, claims.sessionId);
    if (!u) return null;
    return { id: u.id, username: u.username, role: u.role, sessionId: claims.sessionId, mustChangePassword: u.must_change_password, tokenExp: claims.exp };
  }

  async logout(user: AuthUser): Promise<void> {
    await this.sessions.revoke(user.sessionId, user.id);
    this.revoked({ userId: user.id, only: user.sessionId });
  }

  /** The user's own change: the current password is required; every other session ends. */
  async changePassword(user: AuthUser, current: string, next: string): Promise<void> {
    if (!(await this.users.passwordMatches(user.id, current))) throw new PasswordRejectedError('the current password is wrong');
    if (current === next) throw new PasswordRejectedError('the new password must differ from the current one');
    this.checkPolicy(next, user.username);
    await this.users.setPassword(user.id, next, false);
    await this.sessions.revokeAll(user.id, user.sessionId);
    this.revoked({ userId: user.id, except: user.sessionId });
  }

  /** An admin sets a user's password: the user must change it at next sign-in; all their sessions end. */
  async resetPassword(target: UserRow, password: string): Promise<void> {
    this.checkPolicy(password, target.username);
    await this.users.setPassword(target.id, password, true);
    await this.endSessions(target.id);
  }

  /** A new user; by default they must choose their own password at first sign-in. */
  async createUser(username: string, password: string, role: Role, mustChangePassword: boolean): Promise<UserRow> {
    this.checkPolicy(password, username);
    return this.users.create(username, password, role, mustChangePassword);
  }

  /** A new role or a disabled account: takes effect at once. The last enabled admin is kept. */
  async updateUser(actor: AuthUser, target: UserRow, change: { role?: Role; disabled?: boolean }): Promise<UserRow> {
    const losesAdmin = target.role === 'admin' && ((change.role && change.role !== 'admin') || change.disabled === true);
    if (losesAdmin && (await this.users.otherActiveAdmins(target.id)) === 0) throw new UserChangeRefusedError('the last enabled admin cannot be demoted or disabled');
    if (target.id === actor.id && change.disabled === true) throw new UserChangeRefusedError('you cannot disable your own account');
    const updated = (await this.users.update(target.id, change))!;
    if (change.disabled === true || (change.role && change.role !== target.role)) await this.endSessions(target.id);
    return updated;
  }

  async deleteUser(actor: AuthUser, target: UserRow): Promise<void> {
    if (target.id === actor.id) throw new UserChangeRefusedError('you cannot remove your own account');
    if (target.role === 'admin' && (await this.users.otherActiveAdmins(target.id)) === 0) throw new UserChangeRefusedError('the last enabled admin cannot be removed');
    await this.users.delete(target.id);
    this.revoked({ userId: target.id });
  }

  private async endSessions(userId: number): Promise<void> {
    await this.sessions.revokeAll(userId);
    this.revoked({ userId });
  }

  private checkPolicy(password: string, username: string): void {
    const problem = passwordProblem(password, username);
    if (problem) throw new PasswordRejectedError(`password: ${problem}`);
  }

  private revoked(r: RevokedSessions): void {
    for (const fn of this.revokedListeners) fn(r);
  }

  private issue(user: { id: number; username: string; role: Role; must_change_password: boolean }, sessionId: number, refreshToken: string): IssuedTokens {
    return {
      token: this.tokens.sign(user, sessionId),
      refresh_token: refreshToken,
      expires_in: this.tokens.ttl,
      role: user.role,
      must_change_password: user.must_change_password,
    };
  }
}
