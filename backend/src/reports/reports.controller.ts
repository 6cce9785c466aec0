import { BadRequestException, Controller, Get, HttpCode, HttpException, HttpStatus, Inject, NotFoundException, Param, Post, Query, Req, Res, ServiceUnavailableException, StreamableFile } from '@nestjs/common';
import { Audited } from '../common/audited.js';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import type { AuthedRequest } from '../auth/auth.guard.js';
import { RequireRole } from '../auth/roles.js';
import type { MonthlyReport } from './monthly-report.js';
import { NoReportFontError, NoSuchVersionError, RenderRefusedError, REPORT_FORMATS, ReportService, type ArchivedMonth, type ArchiveState, type VersionDiff } from './report.service.js';

/** A month YYYY-MM from 2000 on (no monitoring data can be older). */
const monthParam = z.string().regex(/^(2\d{3})-(0[1-9]|1[0-2])$/, 'a month YYYY-MM');
const versionNumber = z.coerce.number().int().min(1).max(100_000);
const reportQuery = z
  .object({
    format: z.enum(REPORT_FORMATS).default('json'),
    lang: z.enum(['zh', 'en']).default('zh'),
    /** A published version (default: the newest). */
    version: versionNumber.optional(),
  })
  .strict();
const diffQuery = z.object({ from: versionNumber.optional(), to: versionNumber.optional() }).strict();

/** The archived months: every published version, the stale state and its reasons. */
@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/reports')
export class ReportArchivesController {
  constructor(@Inject(ReportService) private readonly reports: ReportService) {}

  @Get()
  async list(): Promise<{ months: ArchivedMonth[] }> {
    return { months: await this.reports.list() };
  }
}

@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/reports/monthly')
export class ReportsController {
  constructor(@Inject(ReportService) private readonly reports: ReportService) {}

  @Get(':month')
  async get(
    @Param('month', { schema: monthParam }) month: string,
    @Query({ schema: reportQuery }) q: z.infer<typeof reportQuery>,
    @Req() req: AuthedRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile | string> {
    if (!this.reports.hasBegun(month)) throw new NotFoundException(`${month} has not begun`);
    try {
      const r = await this.reports.render(month, q.format, q.lang, req.user!.id, q.version);
      const disposition = `${q.format === 'json' || q.format === 'html' ? 'inline' : 'attachment'}; filename="${r.filename}"`;
      if (typeof r.body === 'string' && q.format === 'json') {
        res.setHeader('Content-Type', r.contentType);
        res.setHeader('Content-Disposition', disposition);
        return r.body;
      }
      // The page needs no script and loads nothing: say so, in case anything ever slipped past the escaping.
      if (r.cache) res.setHeader('X-Report-Cache', r.cache);
      if (q.format === 'html') res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
      // Nest would send any other object as JSON: binary and text documents go as files.
      return new StreamableFile(Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body, 'utf8'), { type: r.contentType, disposition });
    } catch (err) {
      if (err instanceof NoSuchVersionError) throw new NotFoundException(err.message);
      if (err instanceof NoReportFontError) throw new ServiceUnavailableException(err.message);
      if (err instanceof RenderRefusedError) {
        res.setHeader('Retry-After', String(err.refusal.retryAfterS));
        const status = err.refusal.reason === 'user' ? HttpStatus.TOO_MANY_REQUESTS : HttpStatus.SERVICE_UNAVAILABLE;
        throw new HttpException({ statusCode: status, message: err.message, error: err.refusal.reason === 'user' ? 'Too Many Requests' : 'Service Unavailable' }, status);
      }
      throw err;
    }
  }

  @Get(':month/diff')
  async diff(@Param('month', { schema: monthParam }) month: string, @Query({ schema: diffQuery }) q: z.infer<typeof diffQuery>): Promise<VersionDiff> {
    try {
      return await this.reports.diff(month, q.from, q.to);
    } catch (err) {
      if (err instanceof NoSuchVersionError) throw new NotFoundException(err.message);
      throw err;
    }
  }

  @Post(':month/regenerate')
  @Audited('report.regenerate')
  @HttpCode(200)
  @RequireRole('admin')
  async regenerate(@Param('month', { schema: monthParam }) month: string, @Req() req: AuthedRequest): Promise<MonthlyReport & { archive: ArchiveState }> {
    if (!this.reports.hasBegun(month)) throw new BadRequestException(`${month} has not begun`);
    return this.reports.regenerate(month, req.user!.username, 'admin');
  }
}
