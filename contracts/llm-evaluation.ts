/**
 * Evaluation of a prompt version before release: a dataset of rows (the variables, the expected
 * answer) run through an LLM endpoint and scored; each scorer's mean is set on the version as
 * `mlops:eval.<scorer>`, which the `production` alias's score floors read. A run of at most
 * {@link MAX_EVALUATION_ROWS} rows answers at once (`POST /llm/evaluations`); a larger dataset runs
 * in the background (`POST /llm/evaluation-runs`), page by page, its rows stored as they are scored.
 */
import * as z from 'zod';
import { lazySchema } from './lazy-schema';
import { PromptReference, Variables } from './llm';

/** Variables a judge prompt may declare; the run fills each from the row it judges. */
export const JUDGE_VARIABLES = ['answer', 'expected', 'sources', 'variables'] as const;

/**
 * The scorers. Exact match, contains, regex, JSON schema and numeric give a row 0 or 1;
 * groundedness and the judge a share in 0..1. A run's score per scorer is the mean over its rows,
 * a row the scorer failed on (a malformed judge answer) counting 0.
 */
export const Scorer = lazySchema(() =>
  z.discriminatedUnion('type', [
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
    /**
     * The share of the answer's sentences supported by its sources: the chunks the prompt's
     * retrieval step put in the prompt, else the row's `sources`. A sentence is supported when at
     * least `minSupport` of its distinct content words (letters and digits, lowercase, stop words
     * removed) occur in the sources; an answer without content words scores 0.
     */
    z.strictObject({
      type: z.literal('groundedness'),
      minSupport: z.number().gt(0).max(1).default(0.8),
    }),
    /**
     * A judge: a prompt of the registry (its own version, resolved when the run starts) answered by
     * an LLM endpoint, which must answer with only a number in `scale`, or only a JSON object
     * `{"score": <number>}` (any other key but `reason` refused); the score is mapped to 0..1.
     * Anything else is the scorer failing on that row: recorded with the reason, counted 0.
     * A run may have several judges (each its own prompt); each is then named, and scored and
     * tagged as `llm_judge.<name>` (see {@link scorerKey}).
     */
    z.strictObject({
      type: z.literal('llm_judge'),
      /**
       * Names this judge among the run's judges (lowercase letters, digits, `_` and `-`).
       * @default - the judge is `llm_judge`, which one judge of a run at most may be
       */
      name: z
        .string()
        .regex(/^[a-z0-9_-]{1,32}$/, 'must be 1 to 32 lowercase letters, digits, _ or -')
        .refine((n) => n !== 'prompt', 'prompt names the judge prompt tag; pick another name')
        .optional(),
      /** `name/version` or `name@alias`; it declares some of `answer`, `expected`, `sources`, `variables`. */
      prompt: PromptReference,
      /** @default - the endpoint the run evaluates */
      endpoint: z.string().min(1).max(40).optional(),
      scale: z
        .strictObject({ min: z.number(), max: z.number() })
        .refine((s) => s.min < s.max, 'min must be less than max')
        .default({ min: 0, max: 1 }),
    }),
  ]),
);
export type Scorer = z.infer<typeof Scorer>;
export type ScorerName = Scorer['type'];

/**
 * What a scorer's results are keyed by (row scores, failures, the aggregate, the version's
 * `mlops:eval.<key>` tag, score floors): its type, or `llm_judge.<name>` for a named judge.
 */
export const scorerKey = (s: Scorer): string =>
  s.type === 'llm_judge' && s.name ? `llm_judge.${s.name}` : s.type;

export const EvaluationRow = lazySchema(() =>
  z.strictObject({
    variables: Variables.default({}),
    /** What the answer should be (exact match, contains, numeric; a judge may read it). */
    expected: z.string().max(100_000).default(''),
    /** What groundedness checks the answer against when the prompt has no retrieval step. */
    sources: z.array(z.string().max(100_000)).max(20).optional(),
  }),
);

export type EvaluationRow = z.infer<typeof EvaluationRow>;

/** Rows a run of `POST /llm/evaluations` takes: it answers within one call, one model call per row. */
export const MAX_EVALUATION_ROWS = 50;

/** Rows a background run takes (`POST /llm/evaluation-runs`). */
export const MAX_EVALUATION_RUN_ROWS = 10_000;

/** Where evaluation datasets live in the artifacts bucket: JSON Lines, one `EvaluationRow` a line. */
export const EVALUATION_DATASETS_PREFIX = 'artifacts/llm-datasets/';

const DatasetReference = lazySchema(() =>
  z.strictObject({
    key: z
      .string()
      .max(1024)
      .refine((k) => k.startsWith(EVALUATION_DATASETS_PREFIX) && !k.includes('..'), {
        message: `must be a key under ${EVALUATION_DATASETS_PREFIX}`,
      }),
  }),
);

const runFields = {
  /** `name/version`: an evaluation scores one immutable version (not an alias, which moves). */
  prompt: lazySchema(() => PromptReference.refine((r) => !r.includes('@'), 'must be name/version')),
  /** The LLM endpoint that answers. */
  endpoint: lazySchema(() => z.string().min(1).max(40)),
  scorers: lazySchema(() => z.array(Scorer).min(1).max(7)),
};

/** Each scorer once: results are keyed by scorer, so two with one key would overwrite each other. */
function scorersOnce(r: { scorers: Scorer[] }, ctx: z.RefinementCtx): void {
  const keys = r.scorers.map(scorerKey);
  keys.forEach((k, i) => {
    if (keys.indexOf(k) === i) return;
    const message =
      k === 'llm_judge' ? 'llm_judge twice: give each judge of the run a distinct name' : `${k} twice`;
    ctx.addIssue({ code: 'custom', path: ['scorers', i], message });
  });
}

export const RunEvaluationRequest = lazySchema(() =>
  z
    .strictObject({
      ...runFields,
      /** Inline rows, or `dataset`. */
      rows: z.array(EvaluationRow).min(1).max(MAX_EVALUATION_ROWS).optional(),
      /** A dataset object in the artifacts bucket; the run records the sha256 of what it read. */
      dataset: DatasetReference.optional(),
    })
    .refine((r) => (r.rows === undefined) !== (r.dataset === undefined), {
      message: 'give exactly one of rows or dataset',
    })
    .superRefine(scorersOnce),
);
export type RunEvaluationRequest = z.infer<typeof RunEvaluationRequest>;

/** A background run: always over a dataset of the artifacts bucket. */
export const StartEvaluationRunRequest = lazySchema(() =>
  z.strictObject({ ...runFields, dataset: DatasetReference }).superRefine(scorersOnce),
);
export type StartEvaluationRunRequest = z.infer<typeof StartEvaluationRunRequest>;

export const EvaluationRunId = lazySchema(() => z.string().regex(/^[0-9a-f-]{36}$/, 'must be a run id'));

export const ListEvaluationRowsQuery = lazySchema(() =>
  z.strictObject({
    limit: z.coerce.number().int().min(1).max(100).default(50),
    nextToken: z
      .string()
      .regex(/^\d{1,6}$/, 'must be a token a previous page gave')
      .optional(),
  }),
);

export interface EvaluationRowResult {
  readonly index: number;
  readonly answer: string;
  readonly expected: string;
  readonly scores: Record<string, number>;
  /** Scorers that could not score the row (a malformed judge answer), with why; each counted 0. */
  readonly failures?: Record<string, string>;
  /** The answer's and the judges' calls. */
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
  /** Rows each scorer failed on, for scorers that failed on any. */
  readonly failures?: Record<string, number>;
  readonly costMicroUsd: number;
}

export type EvaluationRunStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED';

/** A background run: its progress, then its aggregate once every row is scored. */
export interface EvaluationRun {
  readonly runId: string;
  readonly status: EvaluationRunStatus;
  readonly prompt: { readonly name: string; readonly version: number };
  readonly endpoint: string;
  readonly dataset: { readonly key: string; readonly sha256: string };
  /** The scorers, each judge's prompt resolved to the `name/version` every row is judged with. */
  readonly scorers: Scorer[];
  readonly totalRows: number;
  /** Rows scored so far (stored, readable with `GET .../rows`). */
  readonly scoredRows: number;
  readonly aggregate?: Record<string, number>;
  readonly failures?: Record<string, number>;
  readonly costMicroUsd?: number;
  /** Why the run failed. */
  readonly error?: string;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
}
