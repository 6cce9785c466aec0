import { ForbiddenException, Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { IS_PUBLIC, MIN_ROLE, roleAtLeast, type AuthUser, type Role } from './roles.js';
import { TokenService } from './token.service.js';

export type AuthedRequest = Request & { user?: AuthUser };

/** Every HTTP route needs a valid bearer token unless marked @Public; @RequireRole narrows it. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(TokenService) private readonly tokens: TokenService,
  ) {}

  canActivate(ctx: ExecutionContext): boolean {
    if (ctx.getType() !== 'http') return true;
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = ctx.switchToHttp().getRequest<AuthedRequest>();
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    const user = this.tokens.verify(token);
    if (!user) throw new UnauthorizedException('a valid bearer token is required (POST /api/auth/login)');
    req.user = user;
    const need = this.reflector.getAllAndOverride<Role>(MIN_ROLE, targets) ?? 'viewer';
    if (!roleAtLeast(user.role, need)) throw new ForbiddenException(`role ${need} or above is required`);
    return true;
  }
}
