/** The HTTP client of the dashboard: adds the token, renews it once on a 401, turns failures into ApiError. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Seconds to wait, from a Retry-After header (429 lockout, 503). */
    readonly retryAfterS: number | null = null,
    /** The server's stable word for the refusal (e.g. `condition_active`), when it gives one. */
    readonly code: string | null = null,
  ) {
    super(message);
  }
}

/** What the client needs from the session: the current token, a renewal, and the end of the session. */
export interface SessionHooks {
  token(): string | null;
  /** Gets a new access token; true when there is one. Concurrent callers share one renewal. */
  renew(): Promise<boolean>;
  /** The session cannot continue (renewal refused). */
  ended(): void;
}

let session: SessionHooks = { token: () => null, renew: async () => false, ended: () => undefined };

export function configureHttp(hooks: SessionHooks): void {
  session = hooks;
}

interface RequestOptions {
  method?: string;
  body?: unknown;
}

function send(path: string, init: RequestOptions, token: string | null): Promise<Response> {
  const headers: Record<string, string> = init.body === undefined ? {} : { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  return fetch(path, {
    method: init.method ?? 'GET',
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

/** Sends with the current token; on a 401 renews the token once and sends again. */
async function authorised(path: string, init: RequestOptions): Promise<Response> {
  const token = session.token();
  const res = await send(path, init, token);
  if (res.status !== 401 || !token) return res;
  // Another request may have renewed the token while this one was under way.
  const renewed = session.token() !== token || (await session.renew());
  if (!renewed) {
    session.ended();
    return res;
  }
  const retried = await send(path, init, session.token());
  if (retried.status === 401) session.ended();
  return retried;
}

function parseJson(text: string): unknown {
  try {
    return text ? (JSON.parse(text) as unknown) : null;
  } catch {
    return null;
  }
}

async function errorOf(res: Response): Promise<ApiError> {
  const data = parseJson(await res.text());
  const message = (data as { message?: unknown } | null)?.message ?? res.statusText;
  const retryAfter = Number(res.headers.get('retry-after'));
  const code = (data as { code?: unknown } | null)?.code;
  return new ApiError(res.status, Array.isArray(message) ? message.join('; ') : String(message), Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null, typeof code === 'string' ? code : null);
}

export async function apiFetch<T>(path: string, init: RequestOptions = {}): Promise<T> {
  const res = await authorised(path, init);
  if (!res.ok) throw await errorOf(res);
  return parseJson(await res.text()) as T;
}

/** A call without the session's token or renewal: sign-in and the renewal itself. */
export async function publicFetch<T>(path: string, init: RequestOptions = {}): Promise<T> {
  const res = await send(path, init, null);
  if (!res.ok) throw await errorOf(res);
  return parseJson(await res.text()) as T;
}

/** A file from the API (reports): the body as a Blob, with the same token and errors as apiFetch. */
export async function apiBlob(path: string): Promise<Blob> {
  const res = await authorised(path, {});
  if (!res.ok) throw await errorOf(res);
  return res.blob();
}
