/**
 * `{{variable}}` templates: which variables a template uses, whether its declaration matches, and
 * rendering that substitutes exactly the declared variables. Pure: no I/O.
 */
import { type ChatMessage, type PromptTemplate, VARIABLE_PATTERN } from '../../../contracts/llm';
import { BadRequestError } from '../../shared/errors';

/** The template's texts, one per message (a text template is one user message). */
const texts = (template: PromptTemplate): string[] =>
  typeof template === 'string' ? [template] : template.map((m) => m.content);

/** Every variable the template uses, in order of first use. */
export function variablesOf(template: PromptTemplate): string[] {
  const seen = new Set<string>();
  for (const text of texts(template)) {
    for (const match of text.matchAll(VARIABLE_PATTERN)) seen.add(match[1]);
  }
  return [...seen];
}

/**
 * Refuses a declaration that differs from what the template uses, naming each variable used but
 * not declared and each declared but not used (a typo either side would otherwise surface only
 * when a caller's render is refused).
 */
export function checkDeclared(template: PromptTemplate, declared: readonly string[]): void {
  const used = variablesOf(template);
  const undeclared = used.filter((v) => !declared.includes(v));
  const unused = declared.filter((v) => !used.includes(v));
  const duplicated = declared.filter((v, i) => declared.indexOf(v) !== i);
  if (undeclared.length || unused.length || duplicated.length) {
    const parts = [
      undeclared.length ? `used but not declared: ${undeclared.join(', ')}` : '',
      unused.length ? `declared but not used: ${unused.join(', ')}` : '',
      duplicated.length ? `declared twice: ${duplicated.join(', ')}` : '',
    ].filter(Boolean);
    throw new BadRequestError('INVALID_VARIABLES', `template variables: ${parts.join('; ')}`, {
      details: { undeclared, unused, duplicated },
    });
  }
}

/**
 * The template with each `{{variable}}` replaced by its value. A declared variable without a
 * value, or a value for a variable the version does not declare, is a 400 naming every one: a
 * silently empty or ignored variable would send the model a different prompt than was reviewed.
 * Values are inserted verbatim, never re-scanned, so a value holding `{{x}}` stays text.
 */
export function render(
  template: PromptTemplate,
  declared: readonly string[],
  values: Readonly<Record<string, string>>,
): ChatMessage[] {
  const missing = declared.filter((v) => !Object.hasOwn(values, v));
  const unknown = Object.keys(values).filter((v) => !declared.includes(v));
  if (missing.length || unknown.length) {
    const parts = [
      missing.length ? `missing variable(s): ${missing.join(', ')}` : '',
      unknown.length ? `unknown variable(s): ${unknown.join(', ')}` : '',
    ].filter(Boolean);
    throw new BadRequestError('INVALID_VARIABLES', parts.join('; '), { details: { missing, unknown } });
  }
  const fill = (text: string) => text.replace(VARIABLE_PATTERN, (_, name: string) => values[name]);
  return typeof template === 'string'
    ? [{ role: 'user', content: fill(template) }]
    : template.map((m) => ({ role: m.role, content: fill(m.content) }));
}
