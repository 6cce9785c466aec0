import { NOTIFY_CHANNELS, NOTIFY_OUTCOMES, type NotificationDelivery } from '@tidewatch/contracts';
import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { RequireRole } from '../auth/roles.js';
import { decimalId, queryInt } from '../common/http-schemas.js';
import { NotificationsRepository } from './notifications.repository.js';

export const notificationQuery = z
  .object({
    alert: decimalId.optional(),
    channel: z.enum(NOTIFY_CHANNELS).optional(),
    outcome: z.enum(NOTIFY_OUTCOMES).optional(),
    limit: queryInt(1, 1000, 100),
  })
  .strict();

/** Deliveries of the duty-room channels (docs/contract.md §4.6): operators and admins. */
@ApiTags('notifications')
@ApiBearerAuth()
@Controller('api/notifications')
@RequireRole('operator')
export class NotificationsController {
  constructor(@Inject(NotificationsRepository) private readonly repo: NotificationsRepository) {}

  @Get()
  @ApiOperation({ summary: 'Deliveries to the WeCom and DingTalk robots and the SMS gateway, newest first' })
  list(@Query({ schema: notificationQuery }) q: z.infer<typeof notificationQuery>): Promise<NotificationDelivery[]> {
    return this.repo.list(q);
  }
}
