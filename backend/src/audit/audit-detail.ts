/** What the audit log keeps of a call: its body with secrets masked, and its target. */

const SECRET_KEY = /pass|secret|token|(^|_)pw$/i;
const MAX_DETAIL_CHARS = 2000;
const MAX_DEPTH = 4;

/** A value with every secret masked (at any depth, e.g. a site's `params.hj212_pw`) and long text cut. */
function masked(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return value.length > 500 ? `${value.slice(0, 500)}…` : value;
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '…';
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => masked(v, depth + 1));
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, SECRET_KEY.test(k) ? '***' : masked(v, depth + 1)]));
}

/** A request body as the audit log keeps it: secrets masked, long text cut, bounded in size. */
export function auditDetail(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return {};
  const out = masked(body, 0) as Record<string, unknown>;
  const text = JSON.stringify(out);
  return text.length <= MAX_DETAIL_CHARS ? out : { truncated: text.slice(0, MAX_DETAIL_CHARS) };
}

/** The target of a call: its path parameters, as `id=5` or `id=aq-01 site=aq-02`. */
export function auditTarget(params: Record<string, string> | undefined): string | null {
  const parts = Object.entries(params ?? {}).map(([k, v]) => `${k}=${v}`);
  return parts.length ? parts.join(' ').slice(0, 300) : null;
}
