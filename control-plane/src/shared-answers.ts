/**
 * Answers shared by many calls (issue 15). A query that gives every caller the very same object until what it
 * shows changes (clouds.list, from its process's snapshot and the live circuit states) marks that object here:
 *  - it is frozen deeply, so a caller that changed it would throw instead of corrupting the next caller's answer;
 *  - the query path (trpc-query-path.ts) writes its JSON text once, on first use, and then the same text to every
 *    caller: serialising a cloud list was a fifth of clouds.list's CPU at 64 connections.
 * The object is still an ordinary answer: tRPC's adapter and `createCaller` hand it on as before. Correctness
 * rests on the producer answering a new object whenever anything shown changes, never on a time to live.
 */
const texts = new WeakMap<object, string | null>();

/** Marks `value` as a shared answer (deeply frozen) and returns it. */
export function sharedAnswer<T extends object>(value: T): T {
  deepFreeze(value);
  if (!texts.has(value)) texts.set(value, null);
  return value;
}

/** The JSON text of a shared answer (written on first use, then reused), or undefined for any other value. */
export function sharedAnswerText(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const text = texts.get(value);
  if (text !== null) return text; // the text, or undefined: not a shared answer
  const made = JSON.stringify(value);
  texts.set(value, made);
  return made;
}

/** Freezes `value` and everything it holds; a part already frozen is taken as frozen throughout. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
