/** Parse failures: an answer that is not the documented format is `garbage`, never a guess. */
import { ProviderError } from '../errors.ts';

export class ParseError extends Error {
  override readonly name = 'ParseError';
}

/** Turns a ParseError into the provider's `garbage` error, keeping it as cause. */
export function garbage(provider: string, op: string, what: string, e: unknown): ProviderError {
  if (e instanceof ProviderError) return e;
  const detail = e instanceof Error ? e.message : String(e);
  return new ProviderError({ provider, op, code: 'garbage', reason: 'unparseable-output', message: `${provider}: ${op}: cannot parse ${what}: ${detail}`, cause: e });
}

export function toInt(s: string | undefined, what: string): number {
  if (s === undefined || !/^\d+$/.test(s)) throw new ParseError(`${what}: expected an integer, got ${JSON.stringify(s)}`);
  return Number(s);
}

export function toNum(s: string | undefined, what: string): number {
  if (s === undefined || !/^\d+(\.\d+)?$/.test(s)) throw new ParseError(`${what}: expected a number, got ${JSON.stringify(s)}`);
  return Number(s);
}
