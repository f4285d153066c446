/**
 * Evaluation runs: each row of the dataset rendered into the version's prompt, answered by the
 * endpoint through the same path as any call (rules, cache, usage and cost recorded), scored by
 * deterministic scorers; each scorer's mean is set on the version, where the `production` alias's
 * score floors read it.
 */

import { createHash } from 'node:crypto';
import * as z from 'zod';
import {
  type EvaluationResult,
  type EvaluationRow,
  type EvaluationRowResult,
  EvaluationRow as EvaluationRowSchema,
  MAX_EVALUATION_ROWS,
  type RunEvaluationRequest,
  type Scorer,
} from '../../../contracts/llm-evaluation';
import { BadRequestError, NotFoundError } from '../../shared/errors';
import { type ChatDeps, chatCompletion } from './completions';
import { checkInput } from './guardrails';
import type { Actor } from './ports';
import { evaluationTag, getPromptVersion } from './prompts';
import { render } from './templates';

const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?/;

/** The row's score, 0 or 1, by one scorer. Pure. */
export function score(scorer: Scorer, answer: string, expected: string): number {
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
  }
}

/** Reads a dataset object of the artifacts bucket; `undefined` when there is none. */
export interface DatasetReader {
  read(key: string): Promise<Uint8Array | undefined>;
}

/** The rows of a JSON Lines dataset, or a 400 naming the first bad line. */
export function parseDataset(key: string, bytes: Uint8Array): EvaluationRow[] {
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
  if (rows.length === 0 || rows.length > MAX_EVALUATION_ROWS) {
    throw new BadRequestError(
      'INVALID_DATASET',
      `${key} has ${rows.length} rows; 1 to ${MAX_EVALUATION_ROWS} are accepted`,
    );
  }
  return rows;
}

export async function runEvaluation(
  deps: ChatDeps & { readonly datasets: DatasetReader },
  actor: Actor,
  req: RunEvaluationRequest,
): Promise<EvaluationResult> {
  let dataset: { key: string; sha256: string } | undefined;
  let inputRows = req.rows ?? [];
  if (req.dataset) {
    const bytes = await deps.datasets.read(req.dataset.key);
    if (!bytes) throw new NotFoundError('DATASET_NOT_FOUND', `no dataset ${req.dataset.key}`);
    inputRows = parseDataset(req.dataset.key, bytes);
    dataset = { key: req.dataset.key, sha256: createHash('sha256').update(bytes).digest('hex') };
  }
  const slash = req.prompt.lastIndexOf('/');
  const name = req.prompt.slice(0, slash);
  const version = await getPromptVersion(deps, name, Number(req.prompt.slice(slash + 1)));
  if (!deps.endpoints.some((e) => e.name === req.endpoint)) {
    throw new NotFoundError('LLM_ENDPOINT_NOT_FOUND', `no LLM endpoint ${req.endpoint}`);
  }
  // A 400 naming the row's missing or unknown variables, before anything is spent.
  // Every row's variables and input rules are checked before the first call, so a run refused
  // for one row spends nothing (a retrieval step's context is checked when it is filled).
  const filled = version.retrieval ? { [version.retrieval.context]: '' } : {};
  for (const row of inputRows) {
    const messages = render(version.template, version.variables, { ...row.variables, ...filled });
    checkInput(messages, deps.guardrails, deps.countTokens);
  }
  const rows: EvaluationRowResult[] = [];
  for (const [index, row] of inputRows.entries()) {
    const reply = await chatCompletion(deps, actor.principal, {
      model: req.endpoint,
      prompt: { ref: req.prompt, variables: row.variables },
    });
    const answer = reply.choices[0].message.content;
    rows.push({
      index,
      answer,
      expected: row.expected,
      scores: Object.fromEntries(req.scorers.map((s) => [s.type, score(s, answer, row.expected)])),
      costMicroUsd: reply.mlops.costMicroUsd,
    });
  }
  const aggregate = Object.fromEntries(
    req.scorers.map((s) => [s.type, rows.reduce((sum, r) => sum + r.scores[s.type], 0) / rows.length]),
  );
  await deps.registry.tagVersion(
    version.name,
    version.version,
    {
      ...Object.fromEntries(Object.entries(aggregate).map(([s, mean]) => [evaluationTag(s), String(mean)])),
      ...(dataset ? { [evaluationTag('dataset')]: `${dataset.key}@sha256:${dataset.sha256}` } : {}),
    },
    actor,
  );
  return {
    prompt: { name: version.name, version: version.version },
    endpoint: req.endpoint,
    ...(dataset ? { dataset } : {}),
    rows,
    aggregate,
    costMicroUsd: rows.reduce((sum, r) => sum + r.costMicroUsd, 0),
  };
}
