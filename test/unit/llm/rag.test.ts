import { chunkSpans, chunkText, cosine, EMBEDDING_DIMENSIONS, embed } from '../../../lambdas/llm/domain/rag';

describe('chunking', () => {
  it.each([
    ['fewer words than a chunk', 5, 10, 2, ['w0 w1 w2 w3 w4']],
    ['windows overlapping by 2', 10, 4, 2, ['w0 w1 w2 w3', 'w2 w3 w4 w5', 'w4 w5 w6 w7', 'w6 w7 w8 w9']],
    ['no overlap, a short last chunk', 5, 2, 0, ['w0 w1', 'w2 w3', 'w4']],
  ])('cuts %s', (_, n, maxWords, overlapWords, want) => {
    // Prepare
    const text = Array.from({ length: n }, (__, i) => `w${i}`).join('  \n');
    // Act / Assess
    expect(chunkText(text, { maxWords, overlapWords })).toEqual(want);
  });

  it('gives where each chunk lies in the text, from its first word to the end of its last', () => {
    // Prepare: "one" at 2, "two" at 6, "ab" at 13, "cd" at 16, "e" at 20
    const text = '  one two\n\n  ab\ncd  e';
    // Act
    const got = chunkSpans(text, { maxWords: 3, overlapWords: 1 });
    // Assess
    expect(got).toEqual([
      { text: 'one two ab', start: 2, end: 15 },
      { text: 'ab cd e', start: 13, end: 21 },
    ]);
  });

  it('gives no chunk for text without words', () => {
    expect(chunkText(' \n ', { maxWords: 10, overlapWords: 0 })).toEqual([]);
  });
});

describe('hashed word n-gram embedding', () => {
  it('is unit length and the same for the same text, whatever its case and punctuation', () => {
    // Act
    const a = embed('The capital of France is Paris.');
    const b = embed('the CAPITAL of france is paris');
    // Assess
    expect(a).toHaveLength(EMBEDDING_DIMENSIONS);
    expect(Math.hypot(...a)).toBeCloseTo(1, 6);
    expect([...a]).toEqual([...b]);
    expect(cosine(a, b)).toBeCloseTo(1, 6);
  });

  it('ranks text sharing words and word pairs above unrelated text', () => {
    // Prepare
    const query = embed('what is the capital of France');
    // Act
    const close = cosine(query, embed('The capital of France is Paris.'));
    const far = cosine(query, embed('Drift compares current data with reference data.'));
    // Assess
    expect(close).toBeGreaterThan(0.5);
    expect(close).toBeGreaterThan(far);
  });

  it('embeds text without words as the zero vector', () => {
    expect(Math.hypot(...embed('...'))).toBe(0);
  });
});
