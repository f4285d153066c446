import { encode } from 'gpt-tokenizer';
import type { GuardrailRules } from '../../../contracts/llm';
import { checkInput } from '../../../lambdas/llm/domain/guardrails';

const rules = (maxInputTokens: number): GuardrailRules => ({ pii: [], deniedTopics: [], maxInputTokens });

describe('checkInput: the length rule', () => {
  it('counts no tokens for a prompt of no more UTF-8 bytes than the limit has tokens', async () => {
    // Prepare: 10 bytes against a limit of 10 tokens (a token holds at least one byte)
    const countTokens = jest.fn(async (text: string) => encode(text).length);

    // Act
    await checkInput([{ role: 'user', content: 'ten bytes!' }], rules(10), countTokens);

    // Assess
    expect(countTokens).not.toHaveBeenCalled();
  });

  it('counts a prompt of more bytes than the limit, and passes it when its tokens fit', async () => {
    // Prepare: 200 bytes, about 40 tokens
    const content = 'word '.repeat(40);
    const countTokens = jest.fn(async (text: string) => encode(text).length);

    // Act
    await checkInput([{ role: 'user', content }], rules(100), countTokens);

    // Assess
    expect(countTokens).toHaveBeenCalledWith(content);
    expect(encode(content).length).toBeLessThanOrEqual(100);
  });

  it('refuses a prompt whose tokens exceed the limit, naming the count', async () => {
    // Prepare
    const content = 'word '.repeat(400);
    const tokens = encode(content).length;

    // Act
    const check = checkInput([{ role: 'user', content }], rules(200), async (text) => encode(text).length);

    // Assess
    await expect(check).rejects.toMatchObject({
      status: 422,
      code: 'GUARDRAIL_BLOCKED',
      message: `guardrail length: the prompt has ${tokens} tokens; at most 200 are accepted`,
    });
  });
});
