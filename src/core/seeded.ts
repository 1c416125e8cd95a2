/**
 * Seeded hashing for deterministic draws (design.md "Determinism"): the same seed and key always
 * give the same number, so seeded data and scenario draws repeat run to run.
 */

/** FNV-1a 32-bit hash of a string. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * A well-mixed number in [0, 1) for `(seed, key)`: FNV-1a followed by murmur3's fmix32 finaliser,
 * so keys that differ only in a trailing counter give independent draws (plain FNV-1a does not).
 */
export function seededUnit(seed: number, key: string): number {
  let h = hash32(`${seed}:${key}`);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 0x1_0000_0000;
}
