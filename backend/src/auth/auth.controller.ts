import { Body, ConflictException, Controller, Get, HttpCode, Inject, Post, UnauthorizedException } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Throttle } from '@nestjs/throttler';
import type { z } from 'zod';
import { loginSchema, userCreateSchema } from '../common/http-schemas.js';
import { Public, RequireRole, type Role } from './roles.js';
import { TokenService } from './token.service.js';
import { UsernameTakenError, UsersRepository, type UserRow } from './users.repository.js';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(
    @Inject(UsersRepository) private readonly users: UsersRepository,
    @Inject(TokenService) private readonly tokens: TokenService,
  ) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  // Password guessing is slowed to 10 attempts a minute per client address.
  @Throttle({ default: { limit: 10, ttl: 60_000 } })
  async login(@Body({ schema: loginSchema }) body: z.infer<typeof loginSchema>): Promise<{ token: string; role: Role; expires_in: number }> {
    const user = await this.users.verify(body.username, body.password);
    if (!user) throw new UnauthorizedException('wrong username or password');
    return { token: this.tokens.sign(user), role: user.role, expires_in: this.tokens.ttl };
  }
}

@ApiTags('users')
@ApiBearerAuth()
@Controller('api/users')
@RequireRole('admin')
export class UsersController {
  constructor(@Inject(UsersRepository) private readonly users: UsersRepository) {}

  @Get()
  list(): Promise<UserRow[]> {
    return this.users.list();
  }

  @Post()
  async create(@Body({ schema: userCreateSchema }) body: z.infer<typeof userCreateSchema>): Promise<UserRow> {
    try {
      return await this.users.create(body.username, body.password, body.role);
    } catch (err) {
      if (err instanceof UsernameTakenError) throw new ConflictException(err.message);
      throw err;
    }
  }
}
