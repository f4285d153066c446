/**
 * Input and output rules: PII patterns, denied topics, prompt length. Input that breaks a rule is
 * refused before the model is called (422 `GUARDRAIL_BLOCKED` naming the rule); output has its PII
 * redacted and is withheld when it touches a denied topic. Pure: no I/O. On AWS a Bedrock
 * guardrail (ApplyGuardrail) runs as well where the endpoint names one; when it blocks, the call is
 * refused the same way (422 `GUARDRAIL_INTERVENED` naming the guardrail and the policy), when it
 * only masks PII the masked answer stands with the masking named, as the platform's own redaction.
 */
import type { ChatMessage, GuardrailRules } from '../../../contracts/llm';
import { UnprocessableError } from '../../shared/errors';
import type { GuardrailIntervention } from './ports';

const PII: Record<GuardrailRules['pii'][number], RegExp> = {
  email: /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g,
  creditCard: /\b(?:\d[ -]?){12,15}\d\b/g,
  usSsn: /\b\d{3}-\d{2}-\d{4}\b/g,
  phone: /(?<!\d)\+?\d{1,2}[ .-]?\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}(?!\d)/g,
};

const words = (text: string) => new Set(text.toLowerCase().match(/[a-z0-9']+/g) ?? []);

/** The first denied topic the text mentions (by whole word), if any. */
function deniedTopicIn(text: string, rules: GuardrailRules): string | undefined {
  const seen = words(text);
  return rules.deniedTopics.find((t) => t.words.some((w) => seen.has(w.toLowerCase())))?.name;
}

const utf8 = new TextEncoder();

/**
 * Refuses input that breaks a rule, naming the rule (`pii.email`, `topic.<name>`, `length`).
 * Tokens are counted only for a prompt of more UTF-8 bytes than the limit has tokens: a byte-level
 * BPE token holds at least one byte, so a shorter prompt is within the limit uncounted, and the
 * tokenizer (megabytes of merge ranks) stays unloaded for it.
 */
export async function checkInput(
  messages: readonly ChatMessage[],
  rules: GuardrailRules,
  countTokens: (text: string) => Promise<number>,
): Promise<void> {
  const text = messages.map((m) => m.content).join('\n');
  if (utf8.encode(text).length > rules.maxInputTokens) {
    const tokens = await countTokens(text);
    if (tokens > rules.maxInputTokens) {
      throw blocked(
        'length',
        `the prompt has ${tokens} tokens; at most ${rules.maxInputTokens} are accepted`,
      );
    }
  }
  for (const kind of rules.pii) {
    if (text.match(PII[kind])) throw blocked(`pii.${kind}`, `the prompt contains ${kind} (PII)`);
  }
  const topic = deniedTopicIn(text, rules);
  if (topic) throw blocked(`topic.${topic}`, `the prompt touches the denied topic ${topic}`);
}

const blocked = (rule: string, message: string) =>
  new UnprocessableError('GUARDRAIL_BLOCKED', `guardrail ${rule}: ${message}`, { details: { rule } });

/** The answer after the output rules: PII redacted (rules named), or withheld for a denied topic. */
export function filterOutput(
  content: string,
  rules: GuardrailRules,
): { content: string; redactions: string[]; blockedBy?: string } {
  const topic = deniedTopicIn(content, rules);
  if (topic) return { content: '', redactions: [], blockedBy: `topic.${topic}` };
  const redactions: string[] = [];
  let out = content;
  for (const kind of rules.pii) {
    const next = out.replace(PII[kind], `[${kind.toUpperCase()}]`);
    if (next !== out) redactions.push(`pii.${kind}`);
    out = next;
  }
  return { content: out, redactions };
}

/**
 * What a provider guardrail's intervention means for the call: refused (the first blocking
 * policy is the rule, `bedrock.<policy>`, or `bedrock` when no trace says which; the details
 * carry what the call cost), or, when every
 * finding only masked PII, the answer stands with each masking named (`bedrock.<policy>.<name>`).
 */
export function providerGuardrailOutcome(
  intervention: GuardrailIntervention,
  guardrail: { readonly id: string; readonly version: string } | undefined,
  costMicroUsd: number,
): { refusal: UnprocessableError; rule: string } | { redactions: string[] } {
  const { findings } = intervention;
  const blocking = findings.find((f) => f.action === 'BLOCKED');
  if (findings.length > 0 && !blocking) {
    return { redactions: [...new Set(findings.map((f) => `bedrock.${f.policy}.${f.name}`))] };
  }
  const rule = blocking ? `bedrock.${blocking.policy}` : 'bedrock';
  const named = guardrail ? `guardrail ${guardrail.id} version ${guardrail.version}` : 'the guardrail';
  const what = blocking
    ? `its ${blocking.policy} policy (${blocking.name}) blocked the ${blocking.source === 'input' ? 'prompt' : 'answer'}`
    : 'it gave no trace of which policy fired';
  return {
    rule,
    refusal: new UnprocessableError('GUARDRAIL_INTERVENED', `Bedrock ${named} intervened: ${what}`, {
      // The call's cost: its tokens were spent though nothing is answered.
      details: { rule, ...(guardrail ? { guardrail } : {}), findings, costMicroUsd },
    }),
  };
}
