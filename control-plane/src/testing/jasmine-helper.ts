import { closeTestStore } from './test-store.ts';

// Specs on the store share one database per process; PGlite needs a generous first-open time on 2 cores.
jasmine.DEFAULT_TIMEOUT_INTERVAL = 30_000;

afterAll(async () => {
  await closeTestStore();
});
