import { ForbiddenException, Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AuthService } from './auth.service.js';
import { ALLOW_PENDING_PASSWORD, IS_PUBLIC, MIN_ROLE, roleAtLeast, type AuthUser, type Role } from './roles.js';

export type AuthedRequest = Request & { user?: AuthUser };

/** The bearer token of a request, if it carries one. */
export function bearerToken(req: Request): string | undefined {
  const header = req.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
}

/**
 * Every HTTP route needs a valid bearer token of a live session unless marked @Public;
 * @RequireRole narrows it, judged on the user's role in the database now (not the token's).
 * A user whose password must be changed may only reach the routes that change it.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(AuthService) private readonly auth: AuthService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const user = await this.auth.authenticate(bearerToken(req));
    if (!user) throw new UnauthorizedException('a valid bearer token of a live session is required (POST /api/auth/login)');
    req.user = user;
    if (user.mustChangePassword && !this.reflector.getAllAndOverride<boolean>(ALLOW_PENDING_PASSWORD, targets)) {
      throw new ForbiddenException('password change required: POST /api/auth/password first');
    }
    const need = this.reflector.getAllAndOverride<Role>(MIN_ROLE, targets) ?? 'viewer';
    if (!roleAtLeast(user.role, need)) throw new ForbiddenException(`role ${need} or above is required`);
    return true;
  }
}
