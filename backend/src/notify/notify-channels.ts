import type { Provider, Type } from '@nestjs/common';
import type { Config } from '../config/config.js';
import type { DatabasePool } from '../database/pool.js';
import type { Logger } from '../logging/logger.js';
import type { HubMetrics } from '../metrics/metrics.service.js';
import { ChannelNotifier } from './channel-notifier.js';
import { DeliveryLog } from './delivery-log.js';
import { NotificationsController } from './notifications.controller.js';
import { NotificationsRepository } from './notifications.repository.js';

export interface NotifyChannels {
  notifier: ChannelNotifier;
  controllers: Type[];
  providers: Provider[];
  stop(): Promise<void>;
}

/** The duty-room channels with their delivery records and the API reading them (part of the alerts feature). */
export function notifyChannels(pool: DatabasePool, config: Config, metrics: HubMetrics, log: Logger): NotifyChannels {
  const repository = new NotificationsRepository(pool);
  const records = new DeliveryLog(repository, log, (n) => metrics.notificationRecordsLost.inc(n));
  const notifier = new ChannelNotifier(config, {
    recorder: records,
    log,
    onOutcome: (channel, outcome) => metrics.notifications.inc({ channel, outcome }),
  });
  if (notifier.configured) log.info({ channels: notifier.summary, minSeverity: config.NOTIFY_MIN_SEVERITY, events: config.NOTIFY_EVENTS }, 'duty-room notification channels');
  return {
    notifier,
    controllers: [NotificationsController],
    providers: [{ provide: NotificationsRepository, useValue: repository }],
    async stop() {
      notifier.stop();
      await records.stop();
    },
  };
}
