import { describe, expect, it } from 'vitest';
import { TextSlab } from '../src/core/text-slab.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

describe('TextSlab', () => {
  it('stores each text as its UTF-8 bytes, multi-byte characters and lone surrogates as TextEncoder does', () => {
    const slab = new TextSlab(1024);
    for (const text of ['', 'plain', 'Café ☕ 流程 🚀', 'lone \uD800 surrogate']) {
      expect(slab.store(text)).toEqual(encoder.encode(text));
    }
  });

  it('never hands out overlapping bytes: earlier texts survive later ones, across slab boundaries', () => {
    const slab = new TextSlab(256);
    const texts = Array.from({ length: 200 }, (_, i) => `${i}:${'é'.repeat(i % 21)}:${'x'.repeat(i % 13)}`);
    const stored = texts.map((text) => slab.store(text));
    expect(stored.map((bytes) => decoder.decode(bytes))).toEqual(texts);
  });

  it('gives a text that could need more than a quarter of a slab its own buffer', () => {
    const slab = new TextSlab(256);
    const big = 'é'.repeat(100); // up to 300 bytes
    const bytes = slab.store(big);
    expect(decoder.decode(bytes)).toBe(big);
    expect(bytes.byteOffset).toBe(0);
    expect(bytes.buffer.byteLength).toBe(200);
  });

  it('starts with a sixteenth of a full slab and doubles up to the full size', () => {
    const slab = new TextSlab(1024);
    const sizes = Array.from({ length: 200 }, () => slab.store('x'.repeat(10)).buffer.byteLength);
    expect(sizes[0]).toBe(64);
    expect([...new Set(sizes)]).toEqual([64, 128, 256, 512, 1024]);
  });
});
