import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { APP_GUARD, APP_PIPE } from '@nestjs/core';
import { StandardSchemaValidationPipe } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { AqiController } from './air/aqi.controller.js';
import { AlertsController, RulesController } from './alerts/alerts.controller.js';
import { AuthController, UsersController } from './auth/auth.controller.js';
import { GoalsController } from './goals/goals.controller.js';
import { ReportsController } from './reports/reports.controller.js';
import { AuthGuard } from './auth/auth.guard.js';
import { HealthController } from './health/health.controller.js';
import { DeadLettersController } from './ingest/dead-letters.controller.js';
import { LiveGateway } from './live/live.gateway.js';
import { SitesController } from './sites/sites.controller.js';

/**
 * The HTTP and socket.io layer. Everything it serves is built by the runtime (runtime.ts)
 * and handed in as providers, so the same objects serve ingest, API and live push.
 */
@Module({})
export class AppModule {
  static register(providers: Provider[]): DynamicModule {
    return {
      module: AppModule,
      imports: [ThrottlerModule.forRoot([{ name: 'default', ttl: 60_000, limit: 1200 }])],
      controllers: [HealthController, AuthController, UsersController, SitesController, DeadLettersController, AqiController, AlertsController, RulesController, GoalsController, ReportsController],
      providers: [
        ...providers,
        LiveGateway,
        { provide: APP_GUARD, useClass: ThrottlerGuard },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_PIPE, useValue: new StandardSchemaValidationPipe({ transform: true }) },
      ],
    };
  }
}
