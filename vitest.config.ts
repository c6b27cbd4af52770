import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // Integration tests create real databases (SQLite files and MariaDB schemas) per file.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Vitest 4: worker limits are top-level (`poolOptions` was removed). Files run in parallel,
    // at most two at a time — the CI machine has two cores and one shared MariaDB.
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
  },
});
