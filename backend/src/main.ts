import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { loadSeedSites, startFleet, type Fleet } from '@tidewatch/simulators';
import type { NextFunction, Request, Response } from 'express';
import { AppModule } from './app.module.js';
import { HttpErrorsFilter } from './common/http-edge.js';
import { applyHttpEdges } from './common/http-security.js';
import { describeListenError } from './common/net.js';
import { firstAdminLine, startBanner } from './hub/start-banner.js';
import { STOP_LIMIT_MS, stopOnSignals } from './common/stop-signals.js';
import { ConfigError, loadConfig } from './config/config.js';
import { RedisIoAdapter } from './live/redis-io.adapter.js';
import { createHubLogger, createLogger, NestPinoLogger, type Logger } from './logging/logger.js';
import { Hub } from './hub/hub.js';

const FRONTEND_DIST = fileURLToPath(new URL('../../frontend/dist/', import.meta.url));

/** Set once the hub exists, so that a failed start still stops what it started (the embedded database). */
let started: Hub | null = null;
let hubLog: Logger | null = null;
/** What a stop signal stops: what is built so far during start-up, everything once started. */
let stopAll = async (): Promise<void> => {
  await started?.stop();
};

async function main(): Promise<void> {
  // `npm start` runs the simulators in-process unless SIMULATE says otherwise.
  const config = loadConfig(process.env, process.env.npm_lifecycle_event === 'start');
  const { log, file: logFile } = createHubLogger(config.LOG_LEVEL, config.DATA_DIR, process.stdout.isTTY === true);
  hubLog = log;
  const hub = new Hub(config, log);
  started = hub;
  let fleet: Fleet | null = null;
  let redis: RedisIoAdapter | null = null;

  await hub.build();

  const app = await NestFactory.create<NestExpressApplication>(AppModule.register(hub.features, config), {
    logger: new NestPinoLogger(log),
    bodyParser: false,
  });
  app.useBodyParser('json', { limit: '256kb' });
  applyHttpEdges(app, config);
  app.useGlobalFilters(new HttpErrorsFilter(log));
  if (config.REDIS_URL) {
    redis = new RedisIoAdapter(app, config.REDIS_URL, config.CLUSTER_KEY);
    await redis.connect();
    app.useWebSocketAdapter(redis);
  }
  const doc = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Tidewatch API')
      .setDescription('Tidewatch: real-time environmental and public-safety monitoring hub. Sign in with POST /api/auth/login; send the access token as a bearer token. Roles: viewer < operator < admin (x-min-role on each operation).')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, doc, { jsonDocumentUrl: 'api/docs/openapi.json' });
  if (existsSync(FRONTEND_DIST)) {
    app.useStaticAssets(FRONTEND_DIST, { index: false, maxAge: '1h' });
    // The dashboard is a single-page app: every other GET outside the API serves its page.
    app.use((req: Request, res: Response, next: NextFunction) => {
      if (req.method !== 'GET' || req.path.startsWith('/api') || req.path === '/metrics' || req.path.startsWith('/socket.io')) return next();
      res.sendFile('index.html', { root: FRONTEND_DIST, maxAge: 0 });
    });
  } else {
    log.warn({ FRONTEND_DIST }, 'dashboard not built (npm run build -w frontend); serving the API only');
  }
  await app.init();
  await hub.startIntake();
  try {
    await app.listen(config.PORT, config.HOST);
  } catch (err) {
    throw describeListenError(err as NodeJS.ErrnoException, 'HTTP server', config.PORT, 'PORT');
  }

  if (config.SIMULATE) {
    const sites = loadSeedSites();
    const passwords = hub.simulatorPasswords(sites.map((s) => s.id));
    fleet = startFleet({ url: hub.deviceBrokerUrl, sites, passwords, log: (m) => log.debug({ sim: m }, 'simulator') });
    log.info({ sites: hub.registry!.all().length }, 'simulators running in-process (SIMULATE=false turns them off)');
  }

  stopAll = async () => {
    await fleet?.stop().catch(() => undefined);
    await hub.stop();
    await app.close().catch(() => undefined);
    await redis?.disconnect();
  };
  log.info('started');
  process.stdout.write(startBanner({ host: config.HOST, port: config.PORT, deviceBrokerUrl: hub.deviceBrokerUrl, firstAdmin: hub.firstAdmin, logFile }));
}

/** Stop signals are taken from the first moment: a Ctrl-C during start-up stops what has started. */
function handleStopSignals(): void {
  const onSignal = stopOnSignals({
    stop: () => stopAll(),
    exit: (code) => process.exit(code),
    note: (message) => {
      hubLog?.info(message);
      process.stderr.write(`tidewatch: ${message}\n`);
    },
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
}

/**
 * A promise nobody awaited or an exception nobody caught is a fault in the hub, never a
 * reason to stop taking readings: it is logged loudly, counted, and the hub goes on.
 */
function guardProcess(): void {
  const log = createLogger(process.env.LOG_LEVEL === 'silent' ? 'silent' : 'error');
  process.on('unhandledRejection', (reason) => {
    log.error({ err: reason instanceof Error ? reason.stack : String(reason) }, 'unhandled promise rejection (bug: please report)');
  });
  process.on('uncaughtException', (err, origin) => {
    log.error({ err: err.stack ?? String(err), origin }, 'uncaught exception (bug: please report)');
  });
}

async function run(): Promise<void> {
  guardProcess();
  handleStopSignals();
  try {
    await main();
  } catch (err) {
    const message = err instanceof ConfigError || err instanceof Error ? err.message : String(err);
    process.stderr.write(`tidewatch: ${message}\n`);
    // The first admin may have been created before the failure: its password is shown now or never.
    const admin = started?.firstAdmin;
    if (admin?.kind === 'created') process.stderr.write(`tidewatch: ${firstAdminLine(admin)}\n`);
    const limit = setTimeout(() => process.exit(1), STOP_LIMIT_MS);
    try {
      await started?.stop();
    } finally {
      clearTimeout(limit);
      process.exit(1);
    }
  }
}

void run();
