/**
 * Evaluation runs: each row of the dataset rendered into the version's prompt, answered by the
 * endpoint through the same path as any call (rules, cache, usage and cost recorded), scored by
 * the run's scorers (a judge through its own prompt, called the same way); each scorer's mean is
 * set on the version, where the `production` alias's score floors read it.
 */

import { createHash } from 'node:crypto';
import type { PromptVersion } from '../../../contracts/llm';
import {
  type EvaluationResult,
  type EvaluationRow,
  type EvaluationRowResult,
  EvaluationRow as EvaluationRowSchema,
  JUDGE_VARIABLES,
  MAX_EVALUATION_ROWS,
  type RunEvaluationRequest,
  type Scorer,
  scorerKey,
} from '../../../contracts/llm-evaluation';
import { BadRequestError, NotFoundError, PlatformError } from '../../shared/errors';
import { type ChatDeps, chatCompletion } from './completions';
import { checkInput } from './guardrails';
import type { Actor } from './ports';
import { evaluationTag, getPromptVersion, resolvePrompt } from './prompts';
import { judgeScore, score } from './scorers';
import { render } from './templates';

export { score } from './scorers';

/** Reads a dataset object of the artifacts bucket; `undefined` when there is none. */
export interface DatasetReader {
  read(key: string): Promise<Uint8Array | undefined>;
}

export type EvaluationDeps = ChatDeps & { readonly datasets: DatasetReader };

/** The rows of a JSON Lines dataset, or a 400 naming the first bad line. */
export function parseDataset(key: string, bytes: Uint8Array, maxRows = MAX_EVALUATION_ROWS): EvaluationRow[] {
  const lines = Buffer.from(bytes).toString('utf8').split('\n');
  const rows: EvaluationRow[] = [];
  for (const [i, line] of lines.entries()) {
    if (!line.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new BadRequestError('INVALID_DATASET', `${key} line ${i + 1} is not JSON`);
    }
    const row = EvaluationRowSchema.safeParse(value);
    if (!row.success) {
      throw new BadRequestError('INVALID_DATASET', `${key} line ${i + 1}: ${row.error.issues[0].message}`);
    }
    rows.push(row.data);
  }
  if (rows.length === 0 || rows.length > maxRows) {
    const larger = maxRows === MAX_EVALUATION_ROWS ? ' (POST /llm/evaluation-runs takes more)' : '';
    throw new BadRequestError(
      'INVALID_DATASET',
      `${key} has ${rows.length} rows; 1 to ${maxRows} are accepted${larger}`,
    );
  }
  return rows;
}

/** A dataset object, read and hashed; a 404 when there is none. */
export async function readDataset(
  deps: { readonly datasets: DatasetReader },
  key: string,
  maxRows?: number,
): Promise<{ rows: EvaluationRow[]; dataset: { key: string; sha256: string } }> {
  const bytes = await deps.datasets.read(key);
  if (!bytes) throw new NotFoundError('DATASET_NOT_FOUND', `no dataset ${key}`);
  return {
    rows: parseDataset(key, bytes, maxRows),
    dataset: { key, sha256: createHash('sha256').update(bytes).digest('hex') },
  };
}

/** What every row of a run is evaluated with: the version, the endpoint, judges resolved. */
export interface EvaluationPlan {
  readonly version: PromptVersion;
  readonly endpoint: string;
  readonly scorers: Scorer[];
}

const requireEndpoint = (deps: ChatDeps, name: string) => {
  if (!deps.endpoints.some((e) => e.name === name)) {
    throw new NotFoundError('LLM_ENDPOINT_NOT_FOUND', `no LLM endpoint ${name}`);
  }
};

/**
 * Checks everything a run needs before the first model call, so a refused run spends nothing:
 * the version and endpoints exist, each judge's prompt declares only variables a row fills and
 * is pinned to its version, groundedness has sources for every row, and each row renders and
 * passes the input rules (a retrieval step's context is checked when it is filled).
 */
export async function planEvaluation(
  deps: ChatDeps,
  req: { readonly prompt: string; readonly endpoint: string; readonly scorers: readonly Scorer[] },
  rows: readonly EvaluationRow[],
): Promise<EvaluationPlan> {
  const slash = req.prompt.lastIndexOf('/');
  const version = await getPromptVersion(
    deps,
    req.prompt.slice(0, slash),
    Number(req.prompt.slice(slash + 1)),
  );
  requireEndpoint(deps, req.endpoint);
  const scorers: Scorer[] = [];
  for (const s of req.scorers) {
    if (s.type === 'groundedness' && !version.retrieval) {
      const row = rows.findIndex((r) => !r.sources?.length);
      if (row >= 0) {
        throw new BadRequestError(
          'INVALID_SCORER',
          `groundedness needs sources: prompt ${version.name} version ${version.version} has no retrieval step and row ${row} gives no sources`,
        );
      }
    }
    if (s.type !== 'llm_judge') {
      scorers.push(s);
      continue;
    }
    const judge = (await resolvePrompt(deps, s.prompt)).version;
    const unknown = judge.variables.filter((v) => !(JUDGE_VARIABLES as readonly string[]).includes(v));
    if (unknown.length || judge.retrieval) {
      throw new BadRequestError(
        'INVALID_SCORER',
        judge.retrieval
          ? `judge prompt ${judge.name} version ${judge.version} has a retrieval step; a judge reads the row only`
          : `judge prompt ${judge.name} version ${judge.version} declares ${unknown.join(', ')}; a judge may declare ${JUDGE_VARIABLES.join(', ')}`,
      );
    }
    if (s.endpoint) requireEndpoint(deps, s.endpoint);
    scorers.push({ ...s, prompt: `${judge.name}/${judge.version}` });
  }
  const filled = version.retrieval ? { [version.retrieval.context]: '' } : {};
  for (const row of rows) {
    const messages = render(version.template, version.variables, { ...row.variables, ...filled });
    await checkInput(messages, deps.guardrails, deps.countTokens);
  }
  return { version, endpoint: req.endpoint, scorers };
}

/** One row: answered, then scored by each scorer; a judge's refusal or bad answer fails that scorer only. */
export async function evaluateRow(
  deps: ChatDeps,
  plan: EvaluationPlan,
  actor: Actor,
  row: EvaluationRow,
  index: number,
): Promise<EvaluationRowResult> {
  const reply = await answerRow(deps, plan, actor, row);
  const answer = reply.answer;
  const sources = reply.sources ?? row.sources ?? [];
  const scores: Record<string, number> = {};
  const failures: Record<string, string> = {};
  let costMicroUsd = reply.costMicroUsd;
  for (const s of plan.scorers) {
    if (s.type !== 'llm_judge') {
      scores[scorerKey(s)] = score(s, answer, row.expected, sources);
      continue;
    }
    const judged = await judge(deps, plan, actor, s, { answer, row, sources });
    costMicroUsd += judged.costMicroUsd;
    scores[scorerKey(s)] = 'score' in judged.verdict ? judged.verdict.score : 0;
    if ('failure' in judged.verdict) failures[scorerKey(s)] = judged.verdict.failure;
  }
  return {
    index,
    answer,
    expected: row.expected,
    scores,
    ...(Object.keys(failures).length ? { failures } : {}),
    costMicroUsd,
  };
}

/**
 * The row's answer. One the provider's guardrail blocked (422 `GUARDRAIL_INTERVENED`) is scored as
 * withheld, an empty answer, as one an output rule withholds is, at the cost its tokens had.
 */
async function answerRow(deps: ChatDeps, plan: EvaluationPlan, actor: Actor, row: EvaluationRow) {
  try {
    const reply = await chatCompletion(deps, actor.principal, {
      model: plan.endpoint,
      prompt: { ref: `${plan.version.name}/${plan.version.version}`, variables: row.variables },
    });
    return {
      answer: reply.choices[0].message.content,
      sources: reply.mlops.sources?.map((c) => c.text),
      costMicroUsd: reply.mlops.costMicroUsd,
    };
  } catch (error) {
    if (!(error instanceof PlatformError && error.code === 'GUARDRAIL_INTERVENED')) throw error;
    const { costMicroUsd } = error.details as { costMicroUsd: number };
    return { answer: '', sources: undefined, costMicroUsd };
  }
}

async function judge(
  deps: ChatDeps,
  plan: EvaluationPlan,
  actor: Actor,
  scorer: Extract<Scorer, { type: 'llm_judge' }>,
  read: { answer: string; row: EvaluationRow; sources: readonly string[] },
) {
  const slash = scorer.prompt.lastIndexOf('/');
  const judgePrompt = await getPromptVersion(
    deps,
    scorer.prompt.slice(0, slash),
    Number(scorer.prompt.slice(slash + 1)),
  );
  const values: Record<string, string> = {
    answer: read.answer,
    expected: read.row.expected,
    sources: read.sources.map((s, i) => `[${i + 1}] ${s}`).join('\n'),
    variables: JSON.stringify(read.row.variables),
  };
  try {
    const reply = await chatCompletion(deps, actor.principal, {
      model: scorer.endpoint ?? plan.endpoint,
      prompt: {
        ref: scorer.prompt,
        variables: Object.fromEntries(judgePrompt.variables.map((v) => [v, values[v]])),
      },
    });
    const withheld = reply.choices[0].finish_reason === 'content_filter';
    return {
      costMicroUsd: reply.mlops.costMicroUsd,
      verdict: withheld
        ? { failure: 'judge answer withheld by an output rule' }
        : judgeScore(reply.choices[0].message.content, scorer.scale),
    };
  } catch (error) {
    // A refused judge call (an input rule on the answer it was shown) fails this row's judge only.
    if (error instanceof PlatformError && error.status < 500) {
      // A provider guardrail refused after the model ran: the refusal says what the call cost.
      const spent = (error.details as { costMicroUsd?: unknown } | undefined)?.costMicroUsd;
      const costMicroUsd = typeof spent === 'number' ? spent : 0;
      return { costMicroUsd, verdict: { failure: `judge call refused: ${error.message}` } };
    }
    throw error;
  }
}

/** Each scorer's mean over the rows (a failed row counting 0) and the rows each scorer failed on. */
export function aggregateRows(
  rows: readonly EvaluationRowResult[],
  scorers: readonly Scorer[],
): { aggregate: Record<string, number>; failures?: Record<string, number>; costMicroUsd: number } {
  const aggregate = Object.fromEntries(
    scorers.map((s) => [
      scorerKey(s),
      rows.reduce((sum, r) => sum + (r.scores[scorerKey(s)] ?? 0), 0) / rows.length,
    ]),
  );
  const failures: Record<string, number> = {};
  for (const r of rows) for (const f of Object.keys(r.failures ?? {})) failures[f] = (failures[f] ?? 0) + 1;
  return {
    aggregate,
    ...(Object.keys(failures).length ? { failures } : {}),
    costMicroUsd: rows.reduce((sum, r) => sum + r.costMicroUsd, 0),
  };
}

/**
 * The tags a finished run sets on the version: each mean, the dataset read, each judge's pinned
 * prompt (`mlops:eval.<judge key>.prompt`).
 */
export function evaluationTags(
  aggregate: Readonly<Record<string, number>>,
  scorers: readonly Scorer[],
  dataset?: { readonly key: string; readonly sha256: string },
): Record<string, string> {
  const judges = scorers.flatMap((s) => (s.type === 'llm_judge' ? [s] : []));
  return {
    ...Object.fromEntries(Object.entries(aggregate).map(([s, mean]) => [evaluationTag(s), String(mean)])),
    ...(dataset ? { [evaluationTag('dataset')]: `${dataset.key}@sha256:${dataset.sha256}` } : {}),
    ...Object.fromEntries(judges.map((j) => [evaluationTag(`${scorerKey(j)}.prompt`), j.prompt])),
  };
}

export async function runEvaluation(
  deps: EvaluationDeps,
  actor: Actor,
  req: RunEvaluationRequest,
): Promise<EvaluationResult> {
  const read = req.dataset ? await readDataset(deps, req.dataset.key) : undefined;
  const inputRows = read?.rows ?? req.rows ?? [];
  const plan = await planEvaluation(deps, req, inputRows);
  const rows: EvaluationRowResult[] = [];
  for (const [index, row] of inputRows.entries()) rows.push(await evaluateRow(deps, plan, actor, row, index));
  const totals = aggregateRows(rows, plan.scorers);
  await deps.registry.tagVersion(
    plan.version.name,
    plan.version.version,
    evaluationTags(totals.aggregate, plan.scorers, read?.dataset),
    actor,
  );
  return {
    prompt: { name: plan.version.name, version: plan.version.version },
    endpoint: req.endpoint,
    ...(read ? { dataset: read.dataset } : {}),
    rows,
    ...totals,
  };
}
