import { Module, type DynamicModule, type ExecutionContext, type Provider } from '@nestjs/common';
import type { Request } from 'express';
import type { Config } from './config/config.js';
import { APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { StandardSchemaValidationPipe } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { AqiController } from './air/aqi.controller.js';
import { AlertsController, RulesController } from './alerts/alerts.controller.js';
import { AuthController, UsersController } from './auth/auth.controller.js';
import { GoalsController } from './goals/goals.controller.js';
import { ReportsController } from './reports/reports.controller.js';
import { AuthGuard } from './auth/auth.guard.js';
import { AuditController } from './audit/audit.controller.js';
import { AuditInterceptor } from './audit/audit.interceptor.js';
import { HealthController } from './health/health.controller.js';
import { DeadLettersController } from './ingest/dead-letters.controller.js';
import { LiveGateway } from './live/live.gateway.js';
import { SitesController } from './sites/sites.controller.js';
import { ReviewsController } from './review/reviews.controller.js';

/**
 * The HTTP and socket.io layer. Everything it serves is built by the runtime (runtime.ts)
 * and handed in as providers, so the same objects serve ingest, API and live push.
 */
function isSigninRoute(ctx: ExecutionContext): boolean {
  if (ctx.getType() !== 'http') return false;
  const path = ctx.switchToHttp().getRequest<Request>().path;
  return path === '/api/auth/login' || path === '/api/auth/refresh' || path === '/api/auth/password';
}

@Module({})
export class AppModule {
  static register(providers: Provider[], config: Pick<Config, 'LOGIN_RATE_PER_MIN'>): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ThrottlerModule.forRoot([
          { name: 'default', ttl: 60_000, limit: 1200 },
          // Sign-in, refresh and password change: few per client address, against password guessing.
          { name: 'signin', ttl: 60_000, limit: config.LOGIN_RATE_PER_MIN, skipIf: (ctx) => !isSigninRoute(ctx) },
        ]),
      ],
      controllers: [HealthController, AuthController, UsersController, SitesController, DeadLettersController, AqiController, AlertsController, RulesController, GoalsController, ReportsController, AuditController, ReviewsController],
      providers: [
        ...providers,
        LiveGateway,
        { provide: APP_GUARD, useClass: ThrottlerGuard },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
        { provide: APP_PIPE, useValue: new StandardSchemaValidationPipe({ transform: true }) },
      ],
    };
  }
}
