import { pino, type Logger } from 'pino';
import { scrubSecretsDeep } from './secrets/secret-text.ts';

export type { Logger };

/**
 * The one logger. Secrets never reach it: fields that could carry them are redacted here,
 * so a careless `log.info({input})` cannot leak a password or a token.
 */
export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { service: 'ganyun' },
      // Free text can carry secrets no field name gives away (a library's error quoting a URL with a
      // password, a header): every string of every line is scrubbed by pattern, after path redaction.
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => scrubSecretsDeep(a)) as Parameters<typeof method>);
        },
      },
      serializers: { err: (e: unknown) => scrubSecretsDeep(pino.stdSerializers.err(e as Error)) },
      redact: {
        paths: [
          'password', '*.password', '*.*.password', 'newPassword', '*.newPassword', 'currentPassword', '*.currentPassword',
          'token', '*.token', 'secret', '*.secret', 'authorization', '*.authorization', 'req.headers.authorization',
          'credentials', '*.credentials',
        ],
        censor: '[redacted]',
      },
    },
    destination as never,
  );
}
