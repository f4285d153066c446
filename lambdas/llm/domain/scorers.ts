/**
 * The scorers that read one answer: deterministic ones (exact match, contains, regex, JSON schema,
 * numeric, groundedness) and the parsing of a judge's answer into a score. Pure: no I/O.
 */
import * as z from 'zod';
import type { Scorer } from '../../../contracts/llm-evaluation';

const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?/;

/**
 * Words that carry no claim of their own, left out of groundedness: "the capital is Paris" is
 * supported by a source naming Paris as the capital whether or not the source says "is".
 */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a an the and or but if then else of to in on at by for with from as into about than ' +
    'is are was were be been being am do does did has have had it its this that these those ' +
    'there here which who whom whose what when where why how not no yes so such can could ' +
    'will would shall should may might must i you he she we they me him her us them my your ' +
    'his our their s'
  ).split(' '),
);

const contentWords = (text: string): string[] =>
  (text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => !STOP_WORDS.has(w));

/** The answer's sentences: split after `.`, `!` or `?` followed by a space, and at line breaks. */
export const sentences = (text: string): string[] =>
  text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * The share of the answer's sentences supported by the sources. A sentence's support is the share
 * of its distinct content words found among the sources' words; it is supported when that share
 * is at least `minSupport`. Sentences without content words are not counted; an answer with none
 * scores 0 (there is no claim to find grounded).
 */
export function groundedness(answer: string, sources: readonly string[], minSupport: number): number {
  const known = new Set(sources.flatMap((s) => s.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []));
  let counted = 0;
  let supported = 0;
  for (const sentence of sentences(answer)) {
    const words = [...new Set(contentWords(sentence))];
    if (words.length === 0) continue;
    counted++;
    const found = words.filter((w) => known.has(w)).length;
    if (found / words.length >= minSupport) supported++;
  }
  return counted === 0 ? 0 : supported / counted;
}

/** The row's score by one scorer that reads only the answer (every scorer but the judge). Pure. */
export function score(
  scorer: Scorer,
  answer: string,
  expected: string,
  sources: readonly string[] = [],
): number {
  switch (scorer.type) {
    case 'exact_match':
      return answer.trim() === expected.trim() ? 1 : 0;
    case 'contains':
      return answer.toLowerCase().includes(expected.toLowerCase()) ? 1 : 0;
    case 'regex':
      return new RegExp(scorer.pattern, scorer.ignoreCase ? 'i' : '').test(answer) ? 1 : 0;
    case 'json_schema': {
      let value: unknown;
      try {
        value = JSON.parse(answer);
      } catch {
        return 0;
      }
      return z.fromJSONSchema(scorer.schema as Parameters<typeof z.fromJSONSchema>[0]).safeParse(value)
        .success
        ? 1
        : 0;
    }
    case 'numeric': {
      const got = NUMBER.exec(answer)?.[0];
      const want = NUMBER.exec(expected)?.[0];
      if (got === undefined || want === undefined) return 0;
      return Math.abs(Number(got) - Number(want)) <= scorer.tolerance ? 1 : 0;
    }
    case 'groundedness':
      return groundedness(answer, sources, scorer.minSupport);
    case 'llm_judge':
      throw new Error('llm_judge scores with a model call: see judgeScore');
  }
}

/** A judge's answer read as a score in 0..1, or why it is not one. */
export type JudgeVerdict = { readonly score: number } | { readonly failure: string };

const PLAIN_NUMBER = /^[-+]?\d+(?:\.\d+)?$/;

/**
 * Reads a judge's answer strictly: the whole answer (trimmed) is a plain number, or a JSON object
 * whose `score` is a number and whose only other key is `reason` (a string). The number must lie
 * in `scale` and is mapped linearly onto 0..1. Anything else is a failure naming what was wrong.
 */
export function judgeScore(
  answer: string,
  scale: { readonly min: number; readonly max: number },
): JudgeVerdict {
  const text = answer.trim();
  const shown = JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}...` : text);
  let value: number | undefined;
  if (PLAIN_NUMBER.test(text)) value = Number(text);
  else {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return { failure: `judge answered ${shown}: neither a number nor a JSON object` };
    }
    const extra =
      parsed && typeof parsed === 'object' && !Array.isArray(parsed)
        ? Object.keys(parsed).filter((k) => k !== 'score' && k !== 'reason')
        : undefined;
    const o = parsed as { score?: unknown; reason?: unknown };
    if (!extra || extra.length > 0 || typeof o.score !== 'number' || !Number.isFinite(o.score)) {
      return { failure: `judge answered ${shown}: not {"score": <number>} (with at most a "reason")` };
    }
    if (o.reason !== undefined && typeof o.reason !== 'string') {
      return { failure: `judge answered ${shown}: reason is not a string` };
    }
    value = o.score;
  }
  if (value < scale.min || value > scale.max) {
    return { failure: `judge score ${value} is outside ${scale.min}..${scale.max}` };
  }
  return { score: (value - scale.min) / (scale.max - scale.min) };
}
