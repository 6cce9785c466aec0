import { Body, Controller, Get, HttpCode, Inject, Post, Req, UnauthorizedException } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { z } from 'zod';
import { Audited } from '../common/audited.js';
import { loginSchema, passwordChangeSchema, refreshSchema } from './auth.schemas.js';
import type { AuthedRequest } from './auth.guard.js';
import { AuthService, type IssuedTokens } from './auth.service.js';
import { AllowPendingPassword, Public, type Role } from './roles.js';

const clientOf = (req: Request): { ip: string | null; userAgent: string | null } => ({ ip: req.ip ?? null, userAgent: req.headers['user-agent'] ?? null });

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(@Inject(AuthService) private readonly auth: AuthService) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @Audited('auth.login')
  @ApiOperation({ summary: 'Sign in: a short-lived access token and a refresh token (429 with Retry-After after repeated failures)' })
  // Password guessing is slowed per client address (the `signin` throttler, LOGIN_RATE_PER_MIN), and 5 wrong passwords lock the name for 15 minutes.
  async login(@Body({ schema: loginSchema }) body: z.infer<typeof loginSchema>, @Req() req: Request): Promise<IssuedTokens> {
    return (await this.auth.login(body.username, body.password, clientOf(req))).tokens;
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange a refresh token for new tokens (the old refresh token stops working)' })
  async refresh(@Body({ schema: refreshSchema }) body: z.infer<typeof refreshSchema>): Promise<IssuedTokens> {
    const tokens = await this.auth.refresh(body.refresh_token);
    if (!tokens) throw new UnauthorizedException('the session has ended: sign in again');
    return tokens;
  }

  @Get('me')
  @ApiBearerAuth()
  @AllowPendingPassword()
  @ApiOperation({ summary: 'Who the token speaks for, with the current role' })
  me(@Req() req: AuthedRequest): { id: number; username: string; role: Role; must_change_password: boolean } {
    const u = req.user!;
    return { id: u.id, username: u.username, role: u.role, must_change_password: u.mustChangePassword };
  }

  @Post('logout')
  @ApiBearerAuth()
  @HttpCode(204)
  @AllowPendingPassword()
  @Audited('auth.logout')
  @ApiOperation({ summary: 'End this session: its access and refresh tokens stop working at once' })
  async logout(@Req() req: AuthedRequest): Promise<void> {
    await this.auth.logout(req.user!);
  }

  @Post('password')
  @ApiBearerAuth()
  @HttpCode(204)
  @AllowPendingPassword()
  @Audited('auth.password_change')
  @ApiOperation({ summary: 'Change your own password (every other session ends)' })
  async changePassword(@Body({ schema: passwordChangeSchema }) body: z.infer<typeof passwordChangeSchema>, @Req() req: AuthedRequest): Promise<void> {
    await this.auth.changePassword(req.user!, body.current_password, body.new_password);
  }
}
