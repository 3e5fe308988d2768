import { ConfigError, readConfig } from './config.ts';
import { startApp } from './app.ts';
import { createLogger } from './logger.ts';

/** `npm start`: read config (exit 2 with one line per bad value), start, stop cleanly on SIGINT/SIGTERM. */
let config;
try {
  config = readConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  for (const line of error.lines) process.stderr.write(`ganyun: config: ${line}\n`);
  process.exit(2);
}

const log = createLogger(config.LOG_LEVEL);
const app = await startApp(config, log);
log.info({ url: app.url, store: app.deps.store.kind }, 'ganyun control plane started');
if (app.generatedAdminPassword) {
  // Printed once, to the terminal only: the log never sees it.
  process.stdout.write(`\n  First start: sign in at ${app.url} as admin with password ${app.generatedAdminPassword}\n  (set GANYUN_ADMIN_PASSWORD to choose it yourself)\n\n`);
}

/*
 * SIGTERM (Kubernetes, systemd, a rolling restart): the whole graceful sequence of app.stop(). SIGINT
 * (Ctrl-C at a terminal) skips the drain delay: nobody balances load onto a laptop. A second signal
 * while stopping exits at once.
 */
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) {
      log.warn({ signal }, 'second signal while stopping: exiting now');
      process.exit(130);
    }
    stopping = true;
    log.info({ signal, graceMs: config.GANYUN_SHUTDOWN_GRACE_MS, delayMs: signal === 'SIGINT' ? 0 : config.GANYUN_SHUTDOWN_DELAY_MS }, 'stopping');
    app.stop(signal === 'SIGINT' ? { delayMs: 0 } : {}).then((report) => {
      log.info(report, 'stopped');
      process.exit(0);
    }, (err) => {
      log.error({ err }, 'stop failed');
      process.exit(1);
    });
  });
}
