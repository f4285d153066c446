import { Scorer } from '../../../contracts/llm-evaluation';
import { score } from '../../../lambdas/llm/domain/evaluation';

const schema = {
  type: 'object',
  properties: { city: { type: 'string' }, population: { type: 'number' } },
  required: ['city'],
};

describe('evaluation scorers', () => {
  it.each([
    [{ type: 'exact_match' }, ' Paris. ', 'Paris.', 1],
    [{ type: 'exact_match' }, 'paris.', 'Paris.', 0],
    [{ type: 'contains' }, 'It is PARIS, of course.', 'paris', 1],
    [{ type: 'contains' }, 'It is Lyon.', 'paris', 0],
    [{ type: 'regex', pattern: '^is [A-Z][a-z]+\\.$' }, 'is Paris.', '', 1],
    [{ type: 'regex', pattern: '^paris', ignoreCase: true }, 'Paris.', '', 1],
    [{ type: 'regex', pattern: '^paris' }, 'Paris.', '', 0],
    [{ type: 'json_schema', schema }, '{"city":"Paris","population":2.1}', '', 1],
    [{ type: 'json_schema', schema }, '{"population":2.1}', '', 0],
    [{ type: 'json_schema', schema }, 'not json', '', 0],
    [{ type: 'numeric', tolerance: 0.05 }, 'about 3.14 or so', '3.1', 1],
    [{ type: 'numeric', tolerance: 0.01 }, '3.14', '3.1', 0],
    [{ type: 'numeric' }, '-2e3', '-2000', 1],
    [{ type: 'numeric' }, 'no number', '1', 0],
  ])('%j scores %j against %j as %d', (scorer, answer, expected, want) => {
    // Act
    const got = score(Scorer.parse(scorer), answer, expected);
    // Assess
    expect(got).toBe(want);
  });

  it('fails a pattern that is not a regular expression, in the request', () => {
    expect(Scorer.safeParse({ type: 'regex', pattern: '(' }).success).toBe(false);
  });
});
