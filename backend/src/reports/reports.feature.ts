import type { AqiService } from '../air/aqi.service.js';
import type { Config } from '../config/config.js';
import type { Feature } from '../common/feature.js';
import { Periodic, type OnceOnly } from '../common/periodic.js';
import type { DatabasePool } from '../database/pool.js';
import type { Logger } from '../logging/logger.js';
import type { ReviewsRepository } from '../review/reviews.repository.js';
import type { DailyMeans } from '../sites/daily-means.js';
import type { SiteCatalogue } from '../sites/sites.feature.js';
import { reportFontProblem, resolveReportFont } from './render-pdf.js';
import { defaultReportWorkers, workerRenderer } from './report-renderer.js';
import { ReportSources, type AlertFigures } from './report-sources.js';
import { ReportService } from './report.service.js';
import { archiveCheckMs } from './archive.js';
import { LateDataWatch } from './late-data-watch.js';
import { ARCHIVE_AFTER_MS } from './report.service.js';
import { ReportArchivesController, ReportsController } from './reports.controller.js';
import type { IngestEvents } from '../ingest/ingest-events.js';
import { ReportsRepository } from './reports.repository.js';

const REPORT_ARCHIVE_CHECK_MS = 3_600_000;

/** The monthly report: figures, rendering in worker threads, and archiving each finished month. */
export function reportsFeature(
  pool: DatabasePool,
  inputs: { catalogue: SiteCatalogue; aqi: AqiService; dailyMeans: DailyMeans; alertFigures: AlertFigures; reviews: ReviewsRepository; committed: IngestEvents },
  config: Config,
  log: Logger,
  onceOnly: OnceOnly = () => true,
): Feature {
  const found = resolveReportFont(config.REPORT_FONT);
  const problem = found ? reportFontProblem(found) : 'no font with Chinese glyphs found';
  if (problem) log.warn({ REPORT_FONT: config.REPORT_FONT ?? null, problem }, 'PDF reports are unavailable: install fonts-noto-cjk or set REPORT_FONT to a font with Chinese glyphs');
  const sources = new ReportSources(inputs.alertFigures, inputs.catalogue.events, inputs.catalogue.registry, inputs.aqi, inputs.dailyMeans, config.TZ_DISTRICT, inputs.reviews, inputs.catalogue.completeness);
  const renderer = workerRenderer(config.REPORT_WORKERS ?? defaultReportWorkers(), log);
  const district = { zh: config.DISTRICT_NAME_ZH, en: config.DISTRICT_NAME_EN };
  const repo = new ReportsRepository(pool, config.TZ_DISTRICT);
  const quietMs = config.REPORT_REGENERATE_QUIET_S * 1000;
  const reports = new ReportService(repo, sources, config.TZ_DISTRICT, district, problem ? null : found, log, renderer, quietMs);
  // Readings and events this hub stores for a closed month mark it (in the database: every hub sees it).
  const watch = new LateDataWatch(repo, config.TZ_DISTRICT, ARCHIVE_AFTER_MS, log);
  const unwatch = inputs.committed.onCommitted((result) => watch.observe(result));
  const periodic = new Periodic(log);
  return {
    name: 'reports',
    controllers: [ReportArchivesController, ReportsController],
    providers: [{ provide: ReportService, useValue: reports }],
    async start() {
      const archive = async (): Promise<void> => {
        await reports.archiveDue();
      };
      periodic.every(REPORT_ARCHIVE_CHECK_MS, 'report archive', archive, onceOnly);
      // The rule: stale months whose late data has settled are regenerated, by one hub.
      periodic.every(archiveCheckMs(quietMs), 'stale report regeneration', async () => void (await reports.regenerateDue()), onceOnly);
      if (onceOnly()) archive().catch((err: unknown) => log.warn({ err: String(err) }, 'archiving last month’s report failed'));
    },
    async stop() {
      periodic.stop();
      unwatch();
      await watch.stop();
      await reports.close().catch(() => undefined);
    },
  };
}
