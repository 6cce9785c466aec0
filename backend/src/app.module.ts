import { Module, type DynamicModule, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Feature } from './common/feature.js';
import type { Config } from './config/config.js';
import { APP_GUARD, APP_PIPE } from '@nestjs/core';
import { StandardSchemaValidationPipe } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { AuthGuard } from './auth/auth.guard.js';

function isSigninRoute(ctx: ExecutionContext): boolean {
  if (ctx.getType() !== 'http') return false;
  const path = ctx.switchToHttp().getRequest<Request>().path;
  return path === '/api/auth/login' || path === '/api/auth/refresh' || path === '/api/auth/password';
}

/**
 * The HTTP and socket.io layer. Every controller and object it serves comes from the hub's
 * features (hub/hub.ts), so the same objects serve ingest, API and live push.
 */
@Module({})
export class AppModule {
  static register(features: readonly Feature[], config: Pick<Config, 'LOGIN_RATE_PER_MIN'>): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ThrottlerModule.forRoot([
          { name: 'default', ttl: 60_000, limit: 1200 },
          // Sign-in, refresh and password change: few per client address, against password guessing.
          { name: 'signin', ttl: 60_000, limit: config.LOGIN_RATE_PER_MIN, skipIf: (ctx) => !isSigninRoute(ctx) },
        ]),
      ],
      controllers: features.flatMap((f) => f.controllers ?? []),
      providers: [
        ...features.flatMap((f) => f.providers ?? []),
        { provide: APP_GUARD, useClass: ThrottlerGuard },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_PIPE, useValue: new StandardSchemaValidationPipe({ transform: true }) },
      ],
    };
  }
}
