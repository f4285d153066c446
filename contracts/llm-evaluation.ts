/**
 * Evaluation of a prompt version before release: a dataset of rows (the variables, the expected
 * answer) run through an LLM endpoint and scored by deterministic scorers; each scorer's mean is
 * set on the version as `mlops:eval.<scorer>`, which the `production` alias's score floors read.
 */
import * as z from 'zod';
import { PromptReference, Variables } from './llm';

/** The scorers: each gives a row 0 or 1, and the run their mean. */
export const Scorer = z.discriminatedUnion('type', [
  /** The answer, trimmed, equals the expected answer, trimmed. */
  z.strictObject({ type: z.literal('exact_match') }),
  /** The answer contains the expected answer (case-insensitive). */
  z.strictObject({ type: z.literal('contains') }),
  /** The answer matches the pattern (JavaScript syntax, no flags but `i`). */
  z.strictObject({
    type: z.literal('regex'),
    pattern: z
      .string()
      .min(1)
      .max(256)
      .refine((p) => {
        try {
          new RegExp(p);
          return true;
        } catch {
          return false;
        }
      }, 'must be a valid regular expression'),
    ignoreCase: z.boolean().default(false),
  }),
  /** The answer is JSON valid against the schema (JSON Schema). */
  z.strictObject({ type: z.literal('json_schema'), schema: z.record(z.string(), z.unknown()) }),
  /** The answer's first number is within `tolerance` of the expected number. */
  z.strictObject({ type: z.literal('numeric'), tolerance: z.number().min(0).default(0) }),
]);
export type Scorer = z.infer<typeof Scorer>;
export type ScorerName = Scorer['type'];

export const EvaluationRow = z.strictObject({
  variables: Variables.default({}),
  /** What the answer should be (exact match, contains, numeric). */
  expected: z.string().max(100_000).default(''),
});

export type EvaluationRow = z.infer<typeof EvaluationRow>;

/** Rows a run takes: it runs within one function call, one model call per row. */
export const MAX_EVALUATION_ROWS = 50;

/** Where evaluation datasets live in the artifacts bucket: JSON Lines, one `EvaluationRow` a line. */
export const EVALUATION_DATASETS_PREFIX = 'artifacts/llm-datasets/';

export const RunEvaluationRequest = z
  .strictObject({
    /** `name/version`: an evaluation scores one immutable version (not an alias, which moves). */
    prompt: PromptReference.refine((r) => !r.includes('@'), 'must be name/version'),
    /** The LLM endpoint that answers. */
    endpoint: z.string().min(1).max(40),
    /** Inline rows, or `dataset`. */
    rows: z.array(EvaluationRow).min(1).max(MAX_EVALUATION_ROWS).optional(),
    /** A dataset object in the artifacts bucket; the run records the sha256 of what it read. */
    dataset: z
      .strictObject({
        key: z
          .string()
          .max(1024)
          .refine((k) => k.startsWith(EVALUATION_DATASETS_PREFIX) && !k.includes('..'), {
            message: `must be a key under ${EVALUATION_DATASETS_PREFIX}`,
          }),
      })
      .optional(),
    scorers: z.array(Scorer).min(1).max(5),
  })
  .refine((r) => (r.rows === undefined) !== (r.dataset === undefined), {
    message: 'give exactly one of rows or dataset',
  })
  .superRefine((r, ctx) => {
    const types = r.scorers.map((s) => s.type);
    types.forEach((t, i) => {
      if (types.indexOf(t) !== i)
        ctx.addIssue({ code: 'custom', path: ['scorers', i], message: `${t} twice` });
    });
  });
export type RunEvaluationRequest = z.infer<typeof RunEvaluationRequest>;

export interface EvaluationRowResult {
  readonly index: number;
  readonly answer: string;
  readonly expected: string;
  readonly scores: Record<string, number>;
  readonly costMicroUsd: number;
}

export interface EvaluationResult {
  readonly prompt: { readonly name: string; readonly version: number };
  readonly endpoint: string;
  /** The dataset object read, and the sha256 of its bytes. */
  readonly dataset?: { readonly key: string; readonly sha256: string };
  readonly rows: EvaluationRowResult[];
  /** Each scorer's mean over the rows, as set on the version. */
  readonly aggregate: Record<string, number>;
  readonly costMicroUsd: number;
}
