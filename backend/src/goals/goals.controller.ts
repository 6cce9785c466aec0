import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { GoalsService, type GoalsReport } from './goals.service.js';

@ApiTags('goals')
@ApiBearerAuth()
@Controller('api/goals')
export class GoalsController {
  constructor(@Inject(GoalsService) private readonly goals: GoalsService) {}

  @Get()
  get(): Promise<GoalsReport> {
    return this.goals.goals();
  }
}
