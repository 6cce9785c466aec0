import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const port = z.coerce.number().int().min(0).max(65535);

/** Comma-separated http(s) URLs (the robots' webhooks); each must parse. */
const urlList = z
  .string()
  .transform((v) => v.split(',').map((u) => u.trim()).filter(Boolean))
  .refine((urls) => urls.every((u) => /^https?:\/\//i.test(u) && URL.canParse(u)), 'must be comma-separated http:// or https:// URLs')
  .refine((urls) => urls.length <= 20, 'at most 20 URLs');
/** Comma-separated mobile numbers (digits, an optional leading +). */
const mobileList = z
  .string()
  .transform((v) => v.split(',').map((u) => u.trim()).filter(Boolean))
  .refine((ms) => ms.every((m) => /^\+?[0-9]{5,20}$/.test(m)), 'must be comma-separated mobile numbers (digits, optional +)')
  .refine((ms) => ms.length <= 100, 'at most 100 numbers');
const SEVERITY_NAMES = ['critical', 'major', 'minor', 'warning'] as const;
export const NOTIFY_EVENT_NAMES = ['opened', 'raised', 'retriggered', 'cleared', 'escalated', 'reannounced', 'acknowledged', 'resolved', 'assigned', 'comment'] as const;
const eventList = z
  .string()
  .transform((v) => v.split(',').map((u) => u.trim()).filter(Boolean))
  .refine((es) => es.every((e) => (NOTIFY_EVENT_NAMES as readonly string[]).includes(e)), `must be comma-separated events among ${NOTIFY_EVENT_NAMES.join(', ')}`);

/**
 * Every setting of the hub, validated once at boot; docs/contract.md §7 lists them all. Most
 * are named limits with safe defaults. All problems are reported together.
 */
export const configSchema = z.object({
  DATABASE_URL: z.string().url().optional(),
  MQTT_URL: z.string().regex(/^(mqtts?|wss?|tcp):\/\//, 'must be an mqtt://, mqtts://, tcp:// or ws(s):// URL').optional(),
  MQTT_PORT: port.default(1883),
  /** Listeners bind to loopback unless told otherwise (the production image sets 0.0.0.0). */
  MQTT_HOST: z.string().default('127.0.0.1'),
  MQTT_CLIENT_ID: z.string().min(1).max(64).default('tidewatch-hub'),
  MQTT_SHARE_GROUP: z.string().regex(/^[A-Za-z0-9_-]+$/).optional(),
  /** Embedded broker: accept clients without credentials (only ever on purpose: tests, demos). */
  MQTT_ALLOW_ANONYMOUS: bool.default(false),
  PORT: port.default(3000),
  HOST: z.string().default('127.0.0.1'),
  HJ212_PORT: port.default(6212),
  /** An HJ 212 connection that has sent no authorized packet this long after connecting is closed. */
  HJ212_HANDSHAKE_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  /** One remote address gets at most one HJ 212 dead letter per window; the rest are summed up. */
  HJ212_REJECT_WINDOW_MS: z.coerce.number().int().min(1000).max(3_600_000).default(60_000),
  SIMULATE: bool.optional(),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Lifetime of an access token; the dashboard renews it with its refresh token. */
  JWT_TTL_S: z.coerce.number().int().min(60).max(86_400).default(15 * 60),
  /** A sign-in session ends after this long unused (each refresh extends it). */
  SESSION_TTL_S: z.coerce.number().int().min(300).max(90 * 86_400).default(7 * 86_400),
  ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  RETENTION_DAYS: z.coerce.number().int().min(1).max(36500).default(1825),
  TZ_DISTRICT: z.string().default('Asia/Shanghai'),
  /** Redis: with it the hub runs as one of a cluster (several hubs on one database and broker, docs/architecture.md §13). */
  REDIS_URL: z.string().url().optional(),
  /** Prefix of the cluster's Redis keys and channels: hubs with the same prefix and database form one cluster. */
  CLUSTER_KEY: z.string().regex(/^[A-Za-z0-9_.:-]+$/).max(64).default('tidewatch'),
  /** How often a hub of a cluster checks its share of the sites (and takes the shares of a hub that died). */
  CLUSTER_REBALANCE_MS: z.coerce.number().int().min(100).max(60_000).default(2000),
  /** How long the cluster's stream of committed batches keeps them, for a hub taking over sites to catch up. */
  CLUSTER_STREAM_KEEP_S: z.coerce.number().int().min(10).max(86_400).default(300),
  WEBHOOK_URLS: z.string().optional(),
  DATA_DIR: z.string().default('./data'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Ingest batch closes at this many readings or after INGEST_BATCH_MS. */
  INGEST_BATCH_MAX: z.coerce.number().int().min(1).max(50000).default(5000),
  INGEST_BATCH_MS: z.coerce.number().int().min(1).max(5000).default(25),
  /** Messages received but not yet committed; past this the hub stops reading from the broker. */
  INGEST_INFLIGHT_MAX: z.coerce.number().int().min(1).max(65535).default(2000),
  LIVE_SITE_INTERVAL_MS: z.coerce.number().int().min(50).max(60000).default(1000),
  /** Packets queued for a live client that does not read before it is disconnected. */
  LIVE_MAX_QUEUED: z.coerce.number().int().min(10).max(100_000).default(2000),
  DEAD_LETTER_PAYLOAD_MAX: z.coerce.number().int().min(64).max(65536).default(4096),
  /** An unacknowledged critical alert is announced again every N minutes… */
  ALERT_REANNOUNCE_MIN: z.coerce.number().min(0.05).max(1440).default(5),
  /** …and escalated after M minutes. */
  ALERT_ESCALATE_MIN: z.coerce.number().min(0.05).max(10080).default(15),
  /** Key of the HMAC-SHA256 signature on webhook deliveries (default: derived from JWT_SECRET). */
  WEBHOOK_SECRET: z.string().min(16).optional(),
  /** The district's name on the monthly report. */
  DISTRICT_NAME_ZH: z.string().min(1).max(100).default('大连高新区'),
  DISTRICT_NAME_EN: z.string().min(1).max(200).default('Dalian High-tech Zone'),
  /** Font with Chinese glyphs for PDF reports: `path` or `path#PostScriptName` (default: the system Noto Sans CJK). */
  REPORT_FONT: z.string().optional(),
  /** A stale archived month (data arrived after it was archived) is regenerated once none has arrived for this long. */
  REPORT_REGENERATE_QUIET_S: z.coerce.number().int().min(1).max(30 * 86_400).default(3600),
  NODE_ENV: z.string().optional(),
  /** Sign-in attempts (and refreshes, password changes) per client address per minute. */
  LOGIN_RATE_PER_MIN: z.coerce.number().int().min(1).max(10_000).default(10),
  /** Proxies whose X-Forwarded-For is believed (Express `trust proxy`: `loopback`, `uniquelocal`, addresses); none by default. */
  TRUST_PROXY: z.string().max(500).optional(),
  /** Origins allowed to call the API from a browser (comma-separated); none by default. */
  CORS_ORIGINS: z.string().optional(),
  /** Where the dashboard may load map tiles from (Content-Security-Policy img-src, comma-separated origins). */
  TILE_SOURCES: z.string().default('https://tile.openstreetmap.org,https://*.tianditu.gov.cn,https://*.is.autonavi.com'),
  /** A database statement running longer than this is cancelled (the API answers 503). */
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(60_000),
  /** Worker threads rendering report documents (default: one fewer than the cores, 1 to 4). */
  REPORT_WORKERS: z.coerce.number().int().min(1).max(32).optional(),
  /** The dashboard's address as people open it (links in notifications), e.g. https://tidewatch.example.cn. */
  PUBLIC_URL: z.string().regex(/^https?:\/\//i, 'must be an http:// or https:// URL').url().optional(),
  /** Duty-room channels (docs/contract.md §7): WeCom group robots' webhook URLs (…/cgi-bin/webhook/send?key=…). */
  WECOM_WEBHOOK_URLS: urlList.optional(),
  /** DingTalk custom robots' webhook URLs (…/robot/send?access_token=…). */
  DINGTALK_WEBHOOK_URLS: urlList.optional(),
  /** The robots' 加签 secrets (SEC…): one for every DingTalk URL, or one per URL in the same order. */
  DINGTALK_SECRET: z.string().max(2000).optional(),
  /** Mobiles @-mentioned in DingTalk on critical alerts. */
  DINGTALK_AT_MOBILES: mobileList.optional(),
  /** The SMS gateway: an HTTP endpoint taking POST {"to": [...], "text": "..."}. */
  SMS_GATEWAY_URL: z.string().regex(/^https?:\/\//i, 'must be an http:// or https:// URL').url().optional(),
  SMS_RECIPIENTS: mobileList.optional(),
  /** Credential for the SMS gateway: sent as `Authorization: Bearer <token>`, or as is in SMS_GATEWAY_AUTH_HEADER. */
  SMS_GATEWAY_TOKEN: z.string().min(1).max(2000).optional(),
  SMS_GATEWAY_AUTH_HEADER: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be a header name').default('Authorization'),
  /** SMS goes only for alerts this severe or worse (default: NOTIFY_MIN_SEVERITY). */
  SMS_MIN_SEVERITY: z.enum(SEVERITY_NAMES).optional(),
  /** SMS requests per minute at most. */
  SMS_RATE_PER_MIN: z.coerce.number().int().min(1).max(6000).default(60),
  /** The channels send alerts this severe or worse… */
  NOTIFY_MIN_SEVERITY: z.enum(SEVERITY_NAMES).default('major'),
  /** …for these changes (never alerts from historical data). */
  NOTIFY_EVENTS: eventList.default(['opened', 'raised', 'retriggered', 'escalated', 'resolved']),
  /** Messages per robot in any minute (WeCom and DingTalk allow 20). */
  NOTIFY_ROBOT_RATE_PER_MIN: z.coerce.number().int().min(1).max(20).default(20),
  /** A channel request not answered in this long has failed (and is retried). */
  NOTIFY_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  /** Attempts per message, the first included; retries wait NOTIFY_RETRY_BASE_MS, doubling, up to a minute. */
  NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(6),
  NOTIFY_RETRY_BASE_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
  /** Messages waiting per robot or gateway at most; past it new ones are dropped (and recorded so). */
  NOTIFY_QUEUE_MAX: z.coerce.number().int().min(1).max(100_000).default(1000),
});

export type Config = z.infer<typeof configSchema> & { SIMULATE: boolean };

export class ConfigError extends Error {}

/** Validates the environment; `simulateDefault` is true under `npm start`. */
export function loadConfig(env: NodeJS.ProcessEnv, simulateDefault = false): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = configSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  try {
    new Intl.DateTimeFormat('en', { timeZone: result.data.TZ_DISTRICT });
  } catch {
    throw new ConfigError(`invalid configuration:\n  TZ_DISTRICT: unknown time zone ${result.data.TZ_DISTRICT}`);
  }
  if (result.data.MQTT_SHARE_GROUP && !result.data.REDIS_URL) {
    throw new ConfigError(
      'invalid configuration:\n  MQTT_SHARE_GROUP: hubs sharing the device stream need REDIS_URL, through which each site\'s readings reach the one hub that judges its alert rules',
    );
  }
  if (result.data.SMS_GATEWAY_URL && !result.data.SMS_RECIPIENTS?.length) {
    throw new ConfigError('invalid configuration:\n  SMS_RECIPIENTS: SMS_GATEWAY_URL is set: list the mobiles to send to (comma-separated)');
  }
  const dingSecrets = dingtalkSecrets(result.data.DINGTALK_SECRET);
  const dingUrls = result.data.DINGTALK_WEBHOOK_URLS ?? [];
  if (dingSecrets.length > 1 && dingSecrets.length !== dingUrls.length) {
    throw new ConfigError(`invalid configuration:\n  DINGTALK_SECRET: ${dingSecrets.length} secrets for ${dingUrls.length} DINGTALK_WEBHOOK_URLS: give one for all, or one per URL`);
  }
  const problems = result.data.NODE_ENV === 'production' ? productionProblems(result.data) : [];
  if (problems.length > 0) throw new ConfigError(`invalid configuration for NODE_ENV=production:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return { ...result.data, SIMULATE: result.data.SIMULATE ?? simulateDefault };
}

/** DINGTALK_SECRET as a list: one secret for every robot, or one per robot. */
export function dingtalkSecrets(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

/** The placeholder values of .env.example: a production hub must never run with them. */
const PLACEHOLDER = /^change-?this|^changeme|^password|^secret|^admin$/i;
const MIN_SECRET = 12;

/**
 * In production a missing, placeholder or short secret is refused: a generated JWT secret or
 * first admin password is a convenience of the one-machine default, not of a district hub.
 */
export function productionProblems(c: z.infer<typeof configSchema>): string[] {
  const out: string[] = [];
  const weak = (name: string, value: string | undefined, min: number): void => {
    if (!value) out.push(`${name}: required`);
    else if (PLACEHOLDER.test(value)) out.push(`${name}: still the example's placeholder; choose a secret`);
    else if (value.length < min) out.push(`${name}: at least ${min} characters`);
  };
  weak('JWT_SECRET', c.JWT_SECRET, 32);
  weak('ADMIN_PASSWORD', c.ADMIN_PASSWORD, MIN_SECRET);
  if (c.MQTT_URL) {
    let password = '';
    try {
      password = decodeURIComponent(new URL(c.MQTT_URL).password);
    } catch {
      /* the URL's shape was checked by the schema */
    }
    weak('MQTT_URL password', password, MIN_SECRET);
  }
  if (c.MQTT_ALLOW_ANONYMOUS && !c.MQTT_URL) out.push('MQTT_ALLOW_ANONYMOUS: anonymous devices are not allowed in production');
  return out;
}

export const CONFIG = Symbol('CONFIG');
