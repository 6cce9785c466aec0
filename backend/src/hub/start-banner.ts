import type { FirstAdmin } from '../auth/first-admin.js';

export interface BannerFacts {
  host: string;
  port: number;
  deviceBrokerUrl: string;
  firstAdmin: FirstAdmin | null;
  /** Where the log goes when it is not on stdout. */
  logFile: string | null;
}

/** What to do about the first admin, in one line; `password "…"` is what scripts look for. */
export function firstAdminLine(admin: FirstAdmin | null): string {
  switch (admin?.kind) {
    case 'created':
      return `First admin created: user "admin", password "${admin.password}" (shown once; it must be changed at first sign-in; set ADMIN_PASSWORD to choose it)`;
    case 'created-chosen':
      return 'First admin created: user "admin" with the password in ADMIN_PASSWORD.';
    case 'applied':
      return 'User "admin" now has the password in ADMIN_PASSWORD (it replaced the generated one).';
    case 'generated':
      return 'User "admin" still has a generated password. Lost it? Run `npm run admin -- reset-password` for a new one, or set ADMIN_PASSWORD and start again.';
    default:
      return 'Log in with your existing users (a lost password: `npm run admin -- reset-password USER`).';
  }
}

/** The lines printed once the hub is up: the last thing it prints at start. */
export function startBanner(f: BannerFacts): string {
  const shown = f.host === '0.0.0.0' || f.host === '::' ? 'localhost' : f.host;
  const lines = [
    `Tidewatch is running: http://${shown}:${f.port}/  (API docs: /api/docs)`,
    `Devices publish to ${f.deviceBrokerUrl}`,
    firstAdminLine(f.firstAdmin),
  ];
  if (f.logFile) lines.push(`Logs: ${f.logFile}`, 'Ctrl-C stops the hub.');
  return lines.join('\n') + '\n';
}
