import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { reviewCreateSchema, reviewWithdrawSchema, type ReviewCreate, type ReviewMark, type ReviewWithdraw } from '@tidewatch/contracts';
import { z } from 'zod';
import type { AuthedRequest } from '../auth/auth.guard.js';
import { RequireRole } from '../auth/roles.js';
import { Audited } from '../common/audited.js';
import { decimalId, queryEndTime, queryTime, siteIdParam } from '../common/http-schemas.js';
import { ReviewsService } from './reviews.service.js';

const rangeQuery = z.object({ from: queryTime.optional(), to: queryEndTime.optional() }).strict();
type Range = z.infer<typeof rangeQuery>;

/** Data review (数据审核): marks of data invalid over whole hours, and their withdrawal. */
@ApiTags('reviews')
@ApiBearerAuth()
@Controller('api')
export class ReviewsController {
  constructor(@Inject(ReviewsService) private readonly reviews: ReviewsService) {}

  @Get('sites/:id/reviews')
  listSite(@Param('id', { schema: siteIdParam }) id: string, @Query({ schema: rangeQuery }) q: Range): Promise<ReviewMark[]> {
    return this.reviews.list(id, q);
  }

  @Get('reviews')
  listAll(@Query({ schema: rangeQuery }) q: Range): Promise<ReviewMark[]> {
    return this.reviews.list(undefined, q);
  }

  @Post('sites/:id/reviews')
  @Audited('review.mark')
  @RequireRole('operator')
  mark(@Param('id', { schema: siteIdParam }) id: string, @Body({ schema: reviewCreateSchema }) body: ReviewCreate, @Req() req: AuthedRequest): Promise<ReviewMark> {
    return this.reviews.mark(id, body, req.user!.username);
  }

  @Post('reviews/:id/withdraw')
  @Audited('review.withdraw')
  @RequireRole('operator')
  @HttpCode(200)
  withdraw(@Param('id', { schema: decimalId }) id: number, @Body({ schema: reviewWithdrawSchema }) body: ReviewWithdraw, @Req() req: AuthedRequest): Promise<ReviewMark> {
    return this.reviews.withdraw(id, body.reason, req.user!.username);
  }
}
