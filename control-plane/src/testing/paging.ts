/**
 * Specs only: follows a list procedure's cursor to its end and answers what it returned, in order (each item
 * through `pick`), and how many pages it took. Fails if the cursor never ends (a loop in the keyset).
 */
export async function walkPages<T, K = T>(
  list: (cursor?: string) => Promise<{ items: T[]; nextCursor: string | null }>,
  pick: (item: T) => K = (item) => item as unknown as K,
  maxPages = 100,
): Promise<{ seen: K[]; pages: number }> {
  const seen: K[] = [];
  let cursor: string | undefined;
  for (let pages = 1; pages <= maxPages; pages++) {
    const page = await list(cursor);
    seen.push(...page.items.map(pick));
    if (!page.nextCursor) return { seen, pages };
    cursor = page.nextCursor;
  }
  throw new Error('the cursor never ended');
}

/** The cursor argument of a list call: nothing on the first page. */
export const at = (cursor?: string) => (cursor ? { cursor } : {});
