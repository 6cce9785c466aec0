import { Body, Controller, Delete, Get, HttpCode, Inject, NotFoundException, Param, Patch, Post, Req, UnauthorizedException } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { z } from 'zod';
import { Audited } from '../common/audited.js';
import { decimalId } from '../common/http-schemas.js';
import { loginSchema, passwordChangeSchema, passwordResetSchema, refreshSchema, userCreateSchema, userPatchSchema } from './auth.schemas.js';
import type { AuthedRequest } from './auth.guard.js';
import { AuthService, type IssuedTokens } from './auth.service.js';
import { AllowPendingPassword, Public, RequireRole, type Role } from './roles.js';
import { UsersRepository, type UserRow } from './users.repository.js';

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

@ApiTags('users')
@ApiBearerAuth()
@Controller('api/users')
@RequireRole('admin')
export class UsersController {
  constructor(
    @Inject(UsersRepository) private readonly users: UsersRepository,
    @Inject(AuthService) private readonly auth: AuthService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Every user' })
  list(): Promise<UserRow[]> {
    return this.users.list();
  }

  @Post()
  @Audited('user.create')
  @ApiOperation({ summary: 'Add a user (unless must_change_password is false, they choose their own password at first sign-in)' })
  async create(@Body({ schema: userCreateSchema }) body: z.infer<typeof userCreateSchema>): Promise<UserRow> {
    return await this.auth.createUser(body.username, body.password, body.role, body.must_change_password);
  }

  @Patch(':id')
  @Audited('user.update')
  @ApiOperation({ summary: 'Change a user’s role or disable the account (their sessions end at once)' })
  async update(@Param('id', { schema: decimalId }) id: number, @Body({ schema: userPatchSchema }) body: z.infer<typeof userPatchSchema>, @Req() req: AuthedRequest): Promise<UserRow> {
    return await this.auth.updateUser(req.user!, await this.target(id), body);
  }

  @Post(':id/password')
  @HttpCode(204)
  @Audited('user.reset_password')
  @ApiOperation({ summary: 'Set a user’s password (they must change it at next sign-in; their sessions end)' })
  async resetPassword(@Param('id', { schema: decimalId }) id: number, @Body({ schema: passwordResetSchema }) body: z.infer<typeof passwordResetSchema>): Promise<void> {
    await this.auth.resetPassword(await this.target(id), body.password);
  }

  @Delete(':id')
  @HttpCode(204)
  @Audited('user.delete')
  @ApiOperation({ summary: 'Remove a user (their sessions end at once)' })
  async remove(@Param('id', { schema: decimalId }) id: number, @Req() req: AuthedRequest): Promise<void> {
    await this.auth.deleteUser(req.user!, await this.target(id));
  }

  private async target(id: number): Promise<UserRow> {
    const user = await this.users.get(id);
    if (!user) throw new NotFoundException(`no user ${id}`);
    return user;
  }
}
