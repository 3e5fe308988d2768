import { pino, type Logger } from 'pino';

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
