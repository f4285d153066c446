/**
 * The local stand-in language model: a word n-gram model (trigram by default) counted from a text
 * corpus at start, decoded greedily with backoff to shorter contexts. Deterministic: the same
 * corpus and prompt give the same answer (ties go to the word first in code-point order). It knows
 * only its corpus; it exists so local mode serves real generated text with real token counts where
 * no model weights can be downloaded.
 */

/** Words and punctuation marks, each one token; case is kept for output and folded for matching. */
const TOKEN = /[A-Za-z0-9']+|[.,!?;:]/g;
const SENTENCE_END = new Set(['.', '!', '?']);
/** Context of the first word of a sentence. */
const START = '<s>';

export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

/** Tokens as text: a space between words, none before punctuation. */
export function detokenize(tokens: readonly string[]): string {
  return tokens.reduce((out, t, i) => (i === 0 ? t : /^[.,!?;:]$/.test(t) ? out + t : `${out} ${t}`), '');
}

const key = (context: readonly string[]) => context.map((w) => w.toLowerCase()).join(' ');

export class WordNgramModel {
  /** Next-token counts by context (the 0..order-1 preceding tokens, case-folded). */
  private readonly next = new Map<string, Map<string, number>>();

  private constructor(readonly order: number) {}

  /** Counts every n-gram of order 1..`order` in `corpus`, sentence starts marked. */
  static train(corpus: string, order = 3): WordNgramModel {
    if (!Number.isInteger(order) || order < 1 || order > 6)
      throw new Error(`order must be 1..6, got ${order}`);
    const model = new WordNgramModel(order);
    const tokens = [START, ...tokenize(corpus)];
    for (let i = 1; i < tokens.length; i++) {
      if (tokens[i] === START) continue;
      for (let n = 0; n < order && i - n >= 0; n++) {
        const context = key(tokens.slice(i - n, i));
        const counts = model.next.get(context) ?? new Map<string, number>();
        counts.set(tokens[i], (counts.get(tokens[i]) ?? 0) + 1);
        model.next.set(context, counts);
      }
      // A sentence's end starts a new one.
      if (SENTENCE_END.has(tokens[i]) && tokens[i + 1] !== undefined) tokens.splice(i + 1, 0, START);
    }
    return model;
  }

  /** How many distinct contexts the model counted (a size for logs). */
  get contexts(): number {
    return this.next.size;
  }

  /**
   * The continuation of `prompt`: from the longest suffix of its tokens the corpus has seen (a
   * trailing question mark dropped), the most frequent next token at each step, backing off to
   * shorter contexts; an n-gram already emitted is never emitted again, so decoding cannot loop.
   * Stops at the end of a sentence (the caller stops earlier for a token budget).
   */
  *generate(prompt: string): Generator<string> {
    const history = tokenize(prompt);
    while (history.length && (history.at(-1) === '?' || history.at(-1) === ':')) history.pop();
    const context: string[] = [START];
    for (let n = Math.min(this.order - 1, history.length); n > 0; n--) {
      const suffix = history.slice(-n);
      if (this.next.has(key(suffix))) {
        context.splice(0, context.length, ...suffix);
        break;
      }
    }
    const emitted = new Set<string>();
    for (let step = 0; step < 200; step++) {
      const token = this.pick(context, emitted);
      if (token === undefined) return;
      emitted.add(key([...context.slice(-(this.order - 1)), token]));
      yield token;
      if (SENTENCE_END.has(token)) return;
      context.push(token);
    }
  }

  private pick(context: readonly string[], emitted: ReadonlySet<string>): string | undefined {
    for (let n = Math.min(this.order - 1, context.length); n >= 0; n--) {
      const counts = this.next.get(key(context.slice(context.length - n)));
      if (!counts) continue;
      const ranked = [...counts].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0));
      const prefix = context.slice(-(this.order - 1));
      const fresh = ranked.find(([t]) => !emitted.has(key([...prefix, t])));
      if (fresh) return fresh[0];
    }
    return undefined;
  }
}
