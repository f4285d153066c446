import { detokenize, tokenize, WordNgramModel } from '../../../local/llm/ngram';

const CORPUS = 'The capital of France is Paris. The capital of Peru is Lima. Paris is big. Lima is far.';

describe('word trigram stand-in model', () => {
  it('continues the longest context the corpus has seen, most frequent word first', () => {
    // Prepare
    const model = WordNgramModel.train(CORPUS);
    // Act
    const answer = detokenize([...model.generate('What is the capital of Peru?')]);
    // Assess
    expect(answer).toBe('is Lima.');
  });

  it('backs off to the start of a sentence for a prompt it has never seen, ties in code-point order', () => {
    // Prepare
    const model = WordNgramModel.train(CORPUS);
    // Act
    const answer = detokenize([...model.generate('xyzzy')]);
    // Assess: after <s>, "The" (2) beats "Paris" and "Lima" (1 each)
    expect(answer).toBe('The capital of France is Paris.');
  });

  it('is deterministic and never repeats an n-gram, so decoding ends', () => {
    // Prepare: a corpus whose greedy path is a cycle
    const model = WordNgramModel.train('a b a b a b a b c');
    // Act
    const first = [...model.generate('a')];
    const second = [...model.generate('a')];
    // Assess
    expect(first).toEqual(second);
    const tokens = ['a', ...first];
    const trigrams = tokens.slice(2).map((t, i) => `${tokens[i]} ${tokens[i + 1]} ${t}`);
    expect(new Set(trigrams).size).toBe(trigrams.length);
    expect(first.slice(0, 4)).toEqual(['b', 'a', 'b', 'c']);
  });

  it('tokenizes words and punctuation and puts them back together', () => {
    expect(tokenize("It's 3 o'clock, isn't it?")).toEqual(["It's", '3', "o'clock", ',', "isn't", 'it', '?']);
    expect(detokenize(['Hello', ',', 'world', '.'])).toBe('Hello, world.');
  });

  it('fails an order outside 1..6', () => {
    expect(() => WordNgramModel.train(CORPUS, 0)).toThrow('order must be 1..6, got 0');
  });
});
