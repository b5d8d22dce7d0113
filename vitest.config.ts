import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['runtime/**/*.test.ts', 'connectors/**/*.test.ts', 'rest-api/**/*.test.ts', 'bin/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests start worker processes; two cores do not gain from more parallel files.
    maxWorkers: 2,
    // Every CDC event written straight to JSON is also built and written the ordinary way, and compared (json-codec.ts).
    env: { TSCONNECT_CHECK_DEFERRED_JSON: '1' },
    minWorkers: 1,
  },
});
