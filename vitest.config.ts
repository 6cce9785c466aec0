import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['contracts/src/**/*.test.ts', 'backend/src/**/*.test.ts', 'simulators/src/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        plugins: [vue()],
        test: {
          name: 'frontend',
          include: ['frontend/src/**/*.test.ts'],
          environment: 'happy-dom',
        },
      },
      {
        test: {
          // Repository statements against a fresh database on DATABASE_URL's server; no hub started.
          name: 'repositories',
          include: ['backend/test/repositories/**/*.test.ts'],
          testTimeout: 20_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['backend/test/**/*.test.ts', 'frontend/e2e/**/*.test.ts'],
          exclude: ['backend/test/repositories/**', '**/node_modules/**'],
          // Each file starts its own hub processes against shared services.
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
