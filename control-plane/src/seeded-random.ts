/**
 * mulberry32: a small seeded generator of numbers in [0, 1), for data that must come out the same from the
 * same seed (the synthesised demo extranet, random migration plans for benches and property specs, the
 * replica suites' workload). Not for anything secret: use node:crypto there.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
