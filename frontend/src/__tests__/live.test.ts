import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { configureHttp } from '../api/http';
import { connectLive, disconnectLive } from '../live/socket';
import { useAuthStore } from '../stores/auth';
import { issued, json, stubFetch } from './fixtures';

/** A stand-in for the socket.io client: records handlers and connect calls. */
const fake = vi.hoisted(() => {
  const handlers = new Map<string, (...args: unknown[]) => void>();
  const socket = { active: false, connect: vi.fn(), close: vi.fn(), on: (event: string, fn: (...args: unknown[]) => void) => handlers.set(event, fn) };
  const io = vi.fn((_path: string, _opts: { auth: (send: (data: object) => void) => void }) => socket);
  return { handlers, socket, io };
});
vi.mock('socket.io-client', () => ({ io: fake.io }));

const tokenSent = (): unknown => {
  let sent: unknown;
  fake.io.mock.calls[0]![1].auth((data: object) => (sent = data));
  return sent;
};

beforeEach(() => {
  setActivePinia(createPinia());
  sessionStorage.clear();
  fake.handlers.clear();
  fake.io.mockClear();
  fake.socket.connect.mockClear();
});

afterEach(() => {
  disconnectLive();
  vi.unstubAllGlobals();
});

describe('live socket', () => {
  it('presents the current token at every connect, renews once after an unauthorized refusal, and gives up after a second', async () => {
    const auth = useAuthStore();
    configureHttp({ token: () => auth.token, renew: () => auth.renew(), ended: () => auth.endSession('sessionEnded') });
    let n = 1;
    stubFetch(() => json(issued(n++)));
    await auth.login('duty', 'x');
    connectLive();
    expect(tokenSent()).toEqual({ token: auth.token });
    expect(auth.claims).toMatchObject({ n: 1 });

    fake.handlers.get('connect_error')!(new Error('unauthorized: a valid token of a live session is required in auth.token'));
    await vi.waitFor(() => expect(fake.socket.connect).toHaveBeenCalledTimes(1));
    expect(auth.claims).toMatchObject({ n: 2 });
    expect(tokenSent()).toEqual({ token: auth.token });

    fake.handlers.get('connect_error')!(new Error('unauthorized: a valid token of a live session is required in auth.token'));
    expect(auth.loggedIn).toBe(false);
    expect(auth.signedOutReason).toBe('sessionEnded');
  });

  it('connects again when the hub closes the socket (expired token, revoked session)', async () => {
    const auth = useAuthStore();
    stubFetch(() => json(issued(1)));
    await auth.login('duty', 'x');
    connectLive();
    fake.handlers.get('disconnect')!('io server disconnect');
    expect(fake.socket.connect).toHaveBeenCalledTimes(1);
    fake.handlers.get('disconnect')!('transport close'); // socket.io reconnects by itself
    expect(fake.socket.connect).toHaveBeenCalledTimes(1);
  });
});
