import { BadRequestException, Controller, Get, Inject, NotFoundException, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { SITE_ID_PATTERN } from '@tidewatch/contracts';
import { z } from 'zod';
import { daysBetween, isRealDate } from '../common/district-time.js';
import { SiteRegistry } from '../sites/site-registry.js';
import { AqiService, type DailyAqiDay, type LatestAqi } from './aqi.service.js';

const MAX_DAYS = 366;
const dailyQuery = z
  .object({
    from: z.string().refine(isRealDate, 'a date YYYY-MM-DD'),
    to: z.string().refine(isRealDate, 'a date YYYY-MM-DD'),
    site: z.string().regex(SITE_ID_PATTERN).optional(),
  })
  .strict();

@ApiTags('air')
@ApiBearerAuth()
@Controller('api/aqi')
export class AqiController {
  constructor(
    @Inject(AqiService) private readonly aqi: AqiService,
    @Inject(SiteRegistry) private readonly registry: SiteRegistry,
  ) {}

  @Get('latest')
  latest(): Promise<LatestAqi> {
    return this.aqi.latest();
  }

  @Get('daily')
  async daily(@Query({ schema: dailyQuery }) q: z.infer<typeof dailyQuery>): Promise<{ site: string | null; days: DailyAqiDay[] }> {
    const span = daysBetween(q.from, q.to);
    if (span < 0) throw new BadRequestException('from must not be after to');
    if (span >= MAX_DAYS) throw new BadRequestException(`at most ${MAX_DAYS} days at a time`);
    if (q.site !== undefined && this.registry.lookup(q.site)?.kind !== 'air') throw new NotFoundException(`no air station ${q.site}`);
    return { site: q.site ?? null, days: await this.aqi.daily(q.from, q.to, q.site) };
  }
}
