import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { Audited } from '../common/audited.js';
import { decimalId } from '../common/http-schemas.js';
import { passwordResetSchema, userCreateSchema, userPatchSchema } from './auth.schemas.js';
import type { AuthedRequest } from './auth.guard.js';
import { RequireRole } from './roles.js';
import type { UserRow } from './users.repository.js';
import { UsersService } from './users.service.js';

@ApiTags('users')
@ApiBearerAuth()
@Controller('api/users')
@RequireRole('admin')
export class UsersController {
  constructor(@Inject(UsersService) private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: 'Every user' })
  list(): Promise<UserRow[]> {
    return this.users.list();
  }

  @Post()
  @Audited('user.create')
  @ApiOperation({ summary: 'Add a user (unless must_change_password is false, they choose their own password at first sign-in)' })
  async create(@Body({ schema: userCreateSchema }) body: z.infer<typeof userCreateSchema>): Promise<UserRow> {
    return await this.users.create(body.username, body.password, body.role, body.must_change_password);
  }

  @Patch(':id')
  @Audited('user.update')
  @ApiOperation({ summary: 'Change a user’s role or disable the account (their sessions end at once)' })
  async update(@Param('id', { schema: decimalId }) id: number, @Body({ schema: userPatchSchema }) body: z.infer<typeof userPatchSchema>, @Req() req: AuthedRequest): Promise<UserRow> {
    return await this.users.update(req.user!, id, body);
  }

  @Post(':id/password')
  @HttpCode(204)
  @Audited('user.reset_password')
  @ApiOperation({ summary: 'Set a user’s password (they must change it at next sign-in; their sessions end)' })
  async resetPassword(@Param('id', { schema: decimalId }) id: number, @Body({ schema: passwordResetSchema }) body: z.infer<typeof passwordResetSchema>): Promise<void> {
    await this.users.resetPassword(id, body.password);
  }

  @Delete(':id')
  @HttpCode(204)
  @Audited('user.delete')
  @ApiOperation({ summary: 'Remove a user (their sessions end at once)' })
  async remove(@Param('id', { schema: decimalId }) id: number, @Req() req: AuthedRequest): Promise<void> {
    await this.users.remove(req.user!, id);
  }
}
