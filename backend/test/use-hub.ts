import { afterAll, beforeAll } from 'vitest';
import { makeTestEnv, startHub, type Hub, type TestEnv } from './harness/hub-process.js';

/** One hub for the whole test file, started before and stopped after it (with `extraEnv` on top of the test settings). */
export function useHub(extraEnv: NodeJS.ProcessEnv = {}): { readonly t: TestEnv; readonly hub: Hub } {
  const ctx = {} as { t: TestEnv; hub: Hub };
  beforeAll(async () => {
    ctx.t = await makeTestEnv();
    ctx.hub = await startHub(ctx.t, extraEnv);
  });
  afterAll(async () => {
    await ctx.hub?.stop();
    await ctx.t?.cleanup();
  });
  return ctx;
}
