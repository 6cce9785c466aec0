/** The HTTP client of the dashboard: adds the token, turns failures into ApiError. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

let tokenProvider: () => string | null = () => null;
let onUnauthorized: () => void = () => undefined;

export function configureHttp(getToken: () => string | null, unauthorized: () => void): void {
  tokenProvider = getToken;
  onUnauthorized = unauthorized;
}

export async function apiFetch<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const token = tokenProvider();
  const res = await fetch(path, {
    method: init.method ?? 'GET',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  const data: unknown = text ? JSON.parse(text) : null;
  if (!res.ok) {
    if (res.status === 401 && token) onUnauthorized();
    const message = (data as { message?: unknown } | null)?.message;
    throw new ApiError(res.status, Array.isArray(message) ? message.join('; ') : String(message ?? res.statusText));
  }
  return data as T;
}

/** A file from the API (reports): the body as a Blob, with the same token and errors as apiFetch. */
export async function apiBlob(path: string): Promise<Blob> {
  const token = tokenProvider();
  const res = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!res.ok) {
    if (res.status === 401 && token) onUnauthorized();
    const text = await res.text();
    let message: unknown = res.statusText;
    try {
      message = (JSON.parse(text) as { message?: unknown }).message ?? message;
    } catch {
      // not JSON: keep the status text
    }
    throw new ApiError(res.status, Array.isArray(message) ? message.join('; ') : String(message));
  }
  return res.blob();
}
