/**
 * Bedrock's guardrail trace read as the policies that acted: the input assessment and each output
 * assessment, per policy (content filters, denied topics, words, sensitive information, contextual
 * grounding), keeping only the findings whose action is not `NONE`.
 * @see https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_GuardrailTraceAssessment.html
 * @see https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_GuardrailAssessment.html
 */
import type { GuardrailAssessment, GuardrailTraceAssessment } from '@aws-sdk/client-bedrock-runtime';
import type { GuardrailFinding } from '../domain/ports';

/** The findings of one assessment that acted (a `NONE` action is a detection in detect-only mode). */
function findingsOf(a: GuardrailAssessment, source: GuardrailFinding['source']): GuardrailFinding[] {
  const words = a.wordPolicy;
  const pii = a.sensitiveInformationPolicy;
  const seen: readonly (readonly [GuardrailFinding['policy'], string | undefined, string | undefined])[] = [
    ...(a.contentPolicy?.filters ?? []).map((f) => ['content', f.type, f.action] as const),
    ...(a.topicPolicy?.topics ?? []).map((t) => ['topic', t.name, t.action] as const),
    ...(words?.customWords ?? []).map((w) => ['word', w.match, w.action] as const),
    ...(words?.managedWordLists ?? []).map((w) => ['word', w.type, w.action] as const),
    ...(pii?.piiEntities ?? []).map((e) => ['sensitiveInformation', e.type, e.action] as const),
    ...(pii?.regexes ?? []).map((r) => ['sensitiveInformation', r.name, r.action] as const),
    ...(a.contextualGroundingPolicy?.filters ?? []).map(
      (f) => ['contextualGrounding', f.type, f.action] as const,
    ),
  ];
  return seen.flatMap(([policy, name, action]) =>
    action === 'BLOCKED' || action === 'ANONYMIZED' ? [{ source, policy, name: name ?? policy, action }] : [],
  );
}

/** Every finding of the trace, input first; empty without a trace. */
export function guardrailFindings(trace: GuardrailTraceAssessment | undefined): GuardrailFinding[] {
  if (!trace) return [];
  return [
    ...Object.values(trace.inputAssessment ?? {}).flatMap((a) => findingsOf(a, 'input')),
    ...Object.values(trace.outputAssessments ?? {}).flatMap((as) =>
      as.flatMap((a) => findingsOf(a, 'output')),
    ),
  ];
}
