import { Scorer } from '../../../contracts/llm-evaluation';
import { aggregateRows } from '../../../lambdas/llm/domain/evaluation';
import { groundedness, judgeScore, score, sentences } from '../../../lambdas/llm/domain/scorers';

const SOURCES = ['Paris is the capital of France. It has 2.1 million inhabitants.'];

describe('groundedness', () => {
  it.each([
    // "Paris is the capital of France." content words: paris, capital, france: 3 of 3 found.
    ['Paris is the capital of France.', 0.8, 1],
    // Sentence 1: 3/3. Sentence 2: "It was founded by Romans." founded, romans: 0 of 2. 1 of 2 sentences.
    ['Paris is the capital of France. It was founded by Romans.', 0.8, 0.5],
    // "Paris has 2.1 million people": paris, 2, 1, million, people; 4 of 5 = 0.8 >= 0.8.
    ['Paris has 2.1 million people', 0.8, 1],
    // Same sentence, floor 0.9: 0.8 < 0.9, unsupported.
    ['Paris has 2.1 million people', 0.9, 0],
    // Lines are sentences: "Lyon is big" (lyon, big: 0/2), "France!" (1/1), "It is." (no content, not counted).
    ['Lyon is big\nFrance! It is.', 0.5, 0.5],
    // No content words at all: nothing to ground.
    ['It is.', 0.8, 0],
    ['', 0.8, 0],
  ])('%j with minSupport %d scores %d', (answer, minSupport, want) => {
    // Act
    const got = groundedness(answer, SOURCES, minSupport);
    // Assess
    expect(got).toBeCloseTo(want, 12);
  });

  it('splits sentences after . ! ? and at line breaks only', () => {
    expect(sentences('It costs 2.5 euros. Really? Yes!\nNew line')).toEqual([
      'It costs 2.5 euros.',
      'Really?',
      'Yes!',
      'New line',
    ]);
  });

  it('is the groundedness scorer, with sources given', () => {
    const scorer = Scorer.parse({ type: 'groundedness' });
    expect(scorer).toEqual({ type: 'groundedness', minSupport: 0.8 });
    expect(score(scorer, 'The capital is Paris.', '', SOURCES)).toBe(1);
    expect(score(scorer, 'The capital is Paris.', '', [])).toBe(0);
  });
});

describe('the judge answer', () => {
  const unit = { min: 0, max: 1 };
  const fivePoint = { min: 1, max: 5 };
  it.each([
    [' 0.75\n', unit, 0.75],
    ['1', unit, 1],
    ['{"score": 0.4}', unit, 0.4],
    ['{"score": 4, "reason": "mostly right"}', fivePoint, 0.75],
    ['1', fivePoint, 0],
    ['5', fivePoint, 1],
  ])('%j on %j scores %d', (answer, scale, want) => {
    expect(judgeScore(answer, scale)).toEqual({ score: want });
  });

  it.each([
    ['Score: 0.8', unit, 'neither a number nor a JSON object'],
    ['0.8 because it is right', unit, 'neither a number nor a JSON object'],
    ['{"score": "0.8"}', unit, 'not {"score": <number>}'],
    ['{"score": 0.8, "confidence": 1}', unit, 'not {"score": <number>}'],
    ['[0.8]', unit, 'not {"score": <number>}'],
    ['{"score": 0.8, "reason": 3}', unit, 'reason is not a string'],
    ['1.5', unit, 'judge score 1.5 is outside 0..1'],
    ['{"score": 0}', fivePoint, 'judge score 0 is outside 1..5'],
    ['', unit, 'neither a number nor a JSON object'],
  ])('fails %j on %j: %s', (answer, scale, why) => {
    const verdict = judgeScore(answer, scale);
    expect(verdict).toEqual({ failure: expect.stringContaining(why) });
  });

  it('refuses a scale whose min is not below its max, in the request', () => {
    const judge = { type: 'llm_judge', prompt: 'judge/1', scale: { min: 5, max: 1 } };
    expect(Scorer.safeParse(judge).success).toBe(false);
    expect(Scorer.parse({ type: 'llm_judge', prompt: 'judge@production' })).toEqual({
      type: 'llm_judge',
      prompt: 'judge@production',
      scale: { min: 0, max: 1 },
    });
  });
});

describe('aggregateRows', () => {
  it('means each scorer over the rows, a failed row counting 0, and counts failures', () => {
    // Prepare
    const scorers = [
      Scorer.parse({ type: 'exact_match' }),
      Scorer.parse({ type: 'llm_judge', prompt: 'j/1' }),
    ];
    const row = (index: number, exact: number, judge: number, failed?: string) => ({
      index,
      answer: '',
      expected: '',
      scores: { exact_match: exact, llm_judge: judge },
      ...(failed ? { failures: { llm_judge: failed } } : {}),
      costMicroUsd: 10 * (index + 1),
    });
    // Act
    const got = aggregateRows([row(0, 1, 0.5), row(1, 0, 1), row(2, 1, 0, 'bad'), row(3, 1, 0.25)], scorers);
    // Assess: exact 3/4; judge (0.5 + 1 + 0 + 0.25) / 4; cost 10 + 20 + 30 + 40.
    expect(got).toEqual({
      aggregate: { exact_match: 0.75, llm_judge: 0.4375 },
      failures: { llm_judge: 1 },
      costMicroUsd: 100,
    });
  });
});
