import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import type { Config } from '../config/config.js';
import { refuseUnstorableText } from './http-edge.js';

/** The origins a list setting names (comma-separated, blanks dropped). */
export function originList(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

/**
 * What every HTTP answer carries and every request passes: security headers with a
 * Content-Security-Policy that lets the dashboard load only its own code and the configured
 * map tiles, no X-Powered-By, CORS closed unless origins are configured, and text the
 * database could not store refused with 400.
 */
export function applyHttpEdges(app: NestExpressApplication, config: Config): void {
  app.disable('x-powered-by');
  // Behind a proxy, the client's address (sign-in limits, sessions, audit) comes from X-Forwarded-For.
  if (config.TRUST_PROXY) app.set('trust proxy', config.TRUST_PROXY);
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          'default-src': ["'self'"],
          'script-src': ["'self'"],
          // Leaflet and Vue set element styles at run time.
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:', 'blob:', ...originList(config.TILE_SOURCES)],
          'connect-src': ["'self'"],
          'worker-src': ["'self'", 'blob:'],
          'frame-ancestors': ["'none'"],
          'upgrade-insecure-requests': null,
        },
      },
      // The hub is often reached over plain HTTP on a district network; HSTS belongs to the TLS proxy in front.
      strictTransportSecurity: false,
      crossOriginEmbedderPolicy: false,
    }),
  );
  const origins = originList(config.CORS_ORIGINS);
  if (origins.length > 0) app.enableCors({ origin: origins, credentials: false, maxAge: 600 });
  app.use(refuseUnstorableText);
}
