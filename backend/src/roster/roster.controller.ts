import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Assignee, DutyShift, OnDutyNow, RosterPage } from '@tidewatch/contracts';
import type { z } from 'zod';
import type { AuthedRequest } from '../auth/auth.guard.js';
import { RequireRole } from '../auth/roles.js';
import { Audited } from '../common/audited.js';
import { decimalId } from '../common/http-schemas.js';
import { DutyRoster } from './duty-roster.js';
import { rosterQuery, shiftCreateBody, shiftPatchBody } from './roster.schemas.js';

/** The duty roster: everyone reads it; admins set it (docs/contract.md §4.5). */
@ApiTags('roster')
@ApiBearerAuth()
@Controller('api/roster')
export class RosterController {
  constructor(@Inject(DutyRoster) private readonly roster: DutyRoster) {}

  @Get()
  @ApiOperation({ summary: 'The shifts overlapping a period (default: the coming week), by start' })
  list(@Query({ schema: rosterQuery }) q: z.infer<typeof rosterQuery>): Promise<RosterPage> {
    return this.roster.list(q.from, q.to, q.area);
  }

  @Get('now')
  @ApiOperation({ summary: 'Who is on call now in each duty area, first on call first' })
  now(): OnDutyNow {
    return this.roster.onDutyNow();
  }

  @Get('assignable')
  @RequireRole('operator')
  @ApiOperation({ summary: 'The people an alert may be assigned to: enabled operators and admins' })
  assignable(): Promise<Assignee[]> {
    return this.roster.assignable();
  }

  @Post()
  @Audited('roster.create')
  @RequireRole('admin')
  @ApiOperation({ summary: 'Add a shift (the person must be an enabled operator or admin; at most 7 days; no overlap at its area and position)' })
  create(@Body({ schema: shiftCreateBody }) b: z.infer<typeof shiftCreateBody>, @Req() req: AuthedRequest): Promise<DutyShift> {
    return this.roster.create(b, req.user!.username);
  }

  @Patch(':id')
  @Audited('roster.update')
  @RequireRole('admin')
  @ApiOperation({ summary: 'Change a shift (checked again as a whole)' })
  update(@Param('id', { schema: decimalId }) id: number, @Body({ schema: shiftPatchBody }) b: z.infer<typeof shiftPatchBody>): Promise<DutyShift> {
    return this.roster.update(id, b);
  }

  @Delete(':id')
  @HttpCode(204)
  @Audited('roster.delete')
  @RequireRole('admin')
  @ApiOperation({ summary: 'Remove a shift' })
  async remove(@Param('id', { schema: decimalId }) id: number): Promise<void> {
    await this.roster.remove(id);
  }
}
