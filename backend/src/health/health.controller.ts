import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/roles.js';
import { DatabaseProbe } from '../database/database-probe.js';
import { HubMetrics } from '../metrics/metrics.service.js';
import { BROKER_STATUS, CLUSTER_STATUS, type BrokerStatus, type ClusterStatus } from './broker-status.js';

const DB_PROBE_TIMEOUT_MS = 2000;

@ApiTags('health')
@Controller()
@Public()
export class HealthController {
  constructor(
    @Inject(DatabaseProbe) private readonly database: DatabaseProbe,
    @Inject(BROKER_STATUS) private readonly brokerUp: BrokerStatus,
    @Inject(CLUSTER_STATUS) private readonly redisUp: ClusterStatus,
    @Inject(HubMetrics) private readonly metrics: HubMetrics,
  ) {}

  @Get('api/health')
  async health(@Res({ passthrough: true }) res: Response): Promise<{ status: string; db: string; mqtt: string; redis?: string }> {
    const db = (await this.dbUp()) ? 'up' : 'down';
    const mqtt = this.brokerUp() ? 'up' : 'down';
    const cluster = this.redisUp();
    const redis = cluster === null ? undefined : cluster ? 'up' : 'down';
    const ok = db === 'up' && mqtt === 'up' && redis !== 'down';
    if (!ok) res.status(HttpStatus.SERVICE_UNAVAILABLE);
    return { status: ok ? 'ok' : 'degraded', db, mqtt, ...(redis ? { redis } : {}) };
  }

  @Get('metrics')
  async metricsText(@Res({ passthrough: true }) res: Response): Promise<string> {
    res.type(this.metrics.registry.contentType);
    return this.metrics.registry.metrics();
  }

  private async dbUp(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        this.database.ping().then(() => true),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), DB_PROBE_TIMEOUT_MS))),
      ]);
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }
}
