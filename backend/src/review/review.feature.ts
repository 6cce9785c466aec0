import type { Feature } from '../common/feature.js';
import type { DatabasePool } from '../database/pool.js';
import type { SiteRegistry } from '../sites/site-registry.js';
import { ReviewsController } from './reviews.controller.js';
import { ReviewsRepository } from './reviews.repository.js';
import { ReviewsService } from './reviews.service.js';

export interface ReviewFeature extends Feature {
  /** The marks, read by the report for its data-review section and its stale-archive check. */
  readonly marks: ReviewsRepository;
}

/** Data review: operators mark periods of a site's data invalid; the rollup readers leave them out. */
export function reviewFeature(pool: DatabasePool, registry: SiteRegistry): ReviewFeature {
  const marks = new ReviewsRepository(pool);
  return {
    name: 'review',
    marks,
    controllers: [ReviewsController],
    providers: [{ provide: ReviewsService, useValue: new ReviewsService(marks, registry) }],
  };
}
