import { metricFor, REVIEW_MAX_DAYS, type ReviewCreate, type ReviewMark } from '@tidewatch/contracts';
import { ConflictError, InvalidRequestError, NotFoundError } from '../common/domain-errors.js';
import type { SiteRegistry } from '../sites/site-registry.js';
import type { NamedReviewMark, ReviewsRepository } from './reviews.repository.js';

const DAY_MS = 86_400_000;
/** A list without `from` covers this many days before `to`. */
const DEFAULT_LIST_DAYS = 31;

export interface ReviewRange {
  from?: Date;
  to?: Date;
}

/** A mark as the API gives it (without the site's names). */
function plain(m: NamedReviewMark): ReviewMark {
  const { name_zh: _zh, name_en: _en, ...mark } = m;
  return mark;
}

/** Data review: operators mark data invalid and withdraw marks; everyone lists them. */
export class ReviewsService {
  constructor(
    private readonly repo: ReviewsRepository,
    private readonly registry: SiteRegistry,
  ) {}

  async mark(siteId: string, body: ReviewCreate, by: string): Promise<ReviewMark> {
    const site = this.registry.lookup(siteId);
    if (!site) throw new NotFoundError(`no site ${siteId}`);
    let metricId: number | null = null;
    if (body.metric !== null) {
      const def = metricFor(site.kind, body.metric);
      if (!def) throw new InvalidRequestError(`${body.metric} is not a metric of ${site.kind}`);
      metricId = def.id;
    }
    return plain(await this.repo.insert({ siteKey: site.key, metricId, fromMs: body.fromMs, toMs: body.toMs, reason: body.reason, note: body.note, by }));
  }

  async withdraw(id: number, reason: string, by: string): Promise<ReviewMark> {
    const done = await this.repo.withdraw(id, by, reason);
    if (done) return plain(done);
    const found = await this.repo.find(id);
    if (!found) throw new NotFoundError(`no review mark ${id}`);
    throw new ConflictError(`review mark ${id} was already withdrawn by ${found.withdrawn_by} at ${found.withdrawn_at}`);
  }

  /** Marks overlapping the range, of one site or (siteId undefined) of the district. */
  async list(siteId: string | undefined, range: ReviewRange): Promise<ReviewMark[]> {
    const to = range.to ?? new Date();
    const from = range.from ?? new Date(to.getTime() - DEFAULT_LIST_DAYS * DAY_MS);
    if (from >= to) throw new InvalidRequestError('from must be before to');
    if (to.getTime() - from.getTime() > REVIEW_MAX_DAYS * DAY_MS) throw new InvalidRequestError(`at most ${REVIEW_MAX_DAYS} days at a time`);
    let siteKey: number | null = null;
    if (siteId !== undefined) {
      const site = this.registry.lookup(siteId);
      if (!site) throw new NotFoundError(`no site ${siteId}`);
      siteKey = site.key;
    }
    return (await this.repo.overlapping(siteKey, from.getTime(), to.getTime())).map(plain);
  }
}
