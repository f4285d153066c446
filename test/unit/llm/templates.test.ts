import { checkDeclared, render, variablesOf } from '../../../lambdas/llm/domain/templates';

describe('templates', () => {
  it('finds variables in order of first use', () => {
    expect(variablesOf('Hi {{ name }}, about {{topic}} and {{name}}')).toEqual(['name', 'topic']);
  });

  it('renders declared variables verbatim, never re-scanning values', () => {
    const messages = render(
      [
        { role: 'system', content: 'Be {{tone}}.' },
        { role: 'user', content: '{{question}}' },
      ],
      ['tone', 'question'],
      { tone: 'brief', question: 'what is {{tone}}?' },
    );
    expect(messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'what is {{tone}}?' },
    ]);
  });

  it('fails a render naming missing and unknown variables', () => {
    expect(() => render('{{a}} {{b}}', ['a', 'b'], { a: '1', c: '3' })).toThrow(
      expect.objectContaining({
        status: 400,
        code: 'INVALID_VARIABLES',
        message: 'missing variable(s): b; unknown variable(s): c',
      }),
    );
  });

  it('fails a declaration that differs from the template', () => {
    expect(() => checkDeclared('{{a}} {{b}}', ['a', 'z'])).toThrow(
      /used but not declared: b; declared but not used: z/,
    );
  });
});
