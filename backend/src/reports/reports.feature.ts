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
import { ReportsController } from './reports.controller.js';
import { ReportsRepository } from './reports.repository.js';

const REPORT_ARCHIVE_CHECK_MS = 3_600_000;

/** The monthly report: figures, rendering in worker threads, and archiving each finished month. */
export function reportsFeature(
  pool: DatabasePool,
  inputs: { catalogue: SiteCatalogue; aqi: AqiService; dailyMeans: DailyMeans; alertFigures: AlertFigures; reviews: ReviewsRepository },
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
  const reports = new ReportService(new ReportsRepository(pool), sources, config.TZ_DISTRICT, district, problem ? null : found, log, renderer);
  const periodic = new Periodic(log);
  return {
    name: 'reports',
    controllers: [ReportsController],
    providers: [{ provide: ReportService, useValue: reports }],
    async start() {
      const archive = async (): Promise<void> => {
        await reports.archiveDue();
      };
      periodic.every(REPORT_ARCHIVE_CHECK_MS, 'report archive', archive, onceOnly);
      if (onceOnly()) archive().catch((err: unknown) => log.warn({ err: String(err) }, 'archiving last month’s report failed'));
    },
    async stop() {
      periodic.stop();
      await reports.close().catch(() => undefined);
    },
  };
}
