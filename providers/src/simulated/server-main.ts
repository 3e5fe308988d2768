/**
 * Runs one simulated cloud of the federation as its own process:
 *
 *   node --import tsx providers/src/simulated/server-main.ts --cloud nanchang --port 7401
 *     [--config federation.json] [--token-env VAR] [--time-scale 0.01] [--initial-resources N]
 *
 * The bearer token, if any, comes from the environment (the cloud's `tokenEnv`, or
 * --token-env), never from the command line, where `ps` would show it.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_FEDERATION_PATH, loadFederationConfig } from '../federation-config.ts';
import { simulatedCloudOptions } from './federation.ts';
import { startSimServer } from './http-server.ts';
import { SimulatedCloud } from './simulated-cloud.ts';

const USAGE = 'usage: server-main.ts --cloud <id> --port <n> [--config path] [--token-env VAR] [--time-scale x] [--initial-resources n]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      cloud: { type: 'string' },
      port: { type: 'string' },
      config: { type: 'string' },
      'token-env': { type: 'string' },
      'time-scale': { type: 'string' },
      'initial-resources': { type: 'string' },
    },
  });
  const cloudId = values.cloud;
  const port = Number(values.port);
  if (cloudId === undefined || values.port === undefined || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(USAGE);
  }
  const config = await loadFederationConfig(values.config ?? DEFAULT_FEDERATION_PATH);
  const entry = config.clouds.find((c) => c.id === cloudId);
  if (entry === undefined) {
    throw new Error(`no cloud "${cloudId}" in the config; known: ${config.clouds.map((c) => c.id).join(', ')}`);
  }
  const tokenEnv = values['token-env'] ?? entry.tokenEnv;
  const token = tokenEnv === undefined ? undefined : process.env[tokenEnv];
  if (tokenEnv !== undefined && token === undefined) throw new Error(`environment variable ${tokenEnv} is not set`);
  const number = (s: string | undefined): number | undefined => (s === undefined ? undefined : Number(s));
  const timeScale = number(values['time-scale']);
  const initialResources = number(values['initial-resources']);
  const cloud = new SimulatedCloud(
    simulatedCloudOptions(entry, {
      ...(timeScale !== undefined ? { timeScale } : {}),
      ...(initialResources !== undefined ? { initialResources } : {}),
    }),
  );
  const log = (m: string): void => void process.stderr.write(`sim ${cloudId}: ${m}\n`);
  const server = await startSimServer({ cloud, port, log, ...(token !== undefined ? { token } : {}) });
  process.stdout.write(`sim ${cloudId} (${entry.name}) listening on ${server.url} with ${cloud.objectCount} objects\n`);
  const stop = (): void => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(2);
});
