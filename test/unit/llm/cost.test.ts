import {
  type LlmUsage,
  type PriceTable,
  PriceTable as PriceTableSchema,
  type UsageRecord,
} from '../../../contracts/llm';
import { callCost } from '../../../lambdas/llm/domain/cost';
import { embedRecorded } from '../../../lambdas/llm/domain/embedding-usage';
import type { Embeddings } from '../../../lambdas/llm/domain/embeddings';
import { fromBedrockUsage, fromOpenAiUsage } from '../../../lambdas/llm/domain/usage';

// Prices in micro-dollars per million tokens: $3.00/M input, $15.00/M output, $0.30/M cache
// read, $3.75/M cache write; above 200k prompt tokens every token costs double ($6, $22.50, ...).
const TABLE: PriceTable = PriceTableSchema.parse([
  {
    model: 'm',
    effectiveFrom: '2025-01-01',
    tiers: [
      {
        aboveInputTokens: 0,
        input: 3_000_000,
        output: 15_000_000,
        cacheRead: 300_000,
        cacheWrite: 3_750_000,
      },
      {
        aboveInputTokens: 200_000,
        input: 6_000_000,
        output: 22_500_000,
        cacheRead: 600_000,
        cacheWrite: 7_500_000,
      },
    ],
  },
  {
    model: 'cheap',
    effectiveFrom: '2025-01-01',
    tiers: [{ aboveInputTokens: 0, input: 50_000, output: 150_000 }],
  },
  {
    model: 'dated',
    effectiveFrom: '2025-01-01',
    tiers: [{ aboveInputTokens: 0, input: 1_000_000, output: 0 }],
  },
  {
    model: 'dated',
    effectiveFrom: '2025-06-01',
    tiers: [{ aboveInputTokens: 0, input: 2_000_000, output: 0 }],
  },
]);

const usage = (u: Partial<LlmUsage>): LlmUsage => ({
  inputTokens: 0,
  outputTokens: 0,
  cacheReadInputTokens: 0,
  cacheCreationInputTokens: 0,
  reasoningOutputTokens: 0,
  ...u,
});

describe('callCost', () => {
  it.each([
    // 1000 x $3/M + 500 x $15/M = $0.003 + $0.0075 = $0.0105
    ['no cache', usage({ inputTokens: 1000, outputTokens: 500 }), 10_500],
    // 100 uncached x $3/M + 800 read x $0.30/M + 100 written x $3.75/M + 500 x $15/M
    // = 300 + 240 + 375 + 7500 micro-dollars: cached tokens priced once, inside the 1000
    [
      'cache read and write inside input',
      usage({
        inputTokens: 1000,
        cacheReadInputTokens: 800,
        cacheCreationInputTokens: 100,
        outputTokens: 500,
      }),
      8_415,
    ],
    // exactly at the threshold: still the first tier, 200000 x $3/M = $0.60
    ['tier edge, at the threshold', usage({ inputTokens: 200_000 }), 600_000],
    // one above: every token at the second tier, 200001 x $6/M + 10 x $22.50/M
    ['tier edge, one above', usage({ inputTokens: 200_001, outputTokens: 10 }), 1_200_006 + 225],
    // cached tokens count towards the tier: 150000 read + 50001 uncached = 200001 input
    // 50001 x $6/M + 150000 x $0.60/M = 300006 + 90000
    [
      'cached tokens count towards the tier',
      usage({ inputTokens: 200_001, cacheReadInputTokens: 150_000 }),
      390_006,
    ],
    // reasoning without its own price is priced as output, once: 1000 x $15/M
    ['reasoning inside output', usage({ outputTokens: 1000, reasoningOutputTokens: 600 }), 15_000],
    ['nothing used costs nothing', usage({}), 0],
  ])('%s', (_, u, expected) => {
    // Act
    const cost = callCost(TABLE, 'm', '2025-03-01', u);
    // Assess
    expect(cost.microUsd).toBe(expected);
  });

  it.each([
    // $0.05/M: 9 tokens are 0.45 micro-dollars (0), 10 are 0.5 (half up: 1), 29 are 1.45 (1)
    [9, 0],
    [10, 1],
    [29, 1],
    [30, 2],
  ])('rounds the exact sum once, half up: %i tokens', (tokens, expected) => {
    expect(callCost(TABLE, 'cheap', '2025-03-01', usage({ inputTokens: tokens })).microUsd).toBe(expected);
  });

  it('sums exact parts before rounding (no per-part drift)', () => {
    // 9 input x $0.05/M = 450000 pico, 1 output x $0.15/M = 150000 pico: 0.6 micro-dollars -> 1,
    // where rounding each part (0 + 0) would give 0.
    const cost = callCost(TABLE, 'cheap', '2025-03-01', usage({ inputTokens: 9, outputTokens: 1 }));
    expect(cost.picoUsd).toMatchObject({ input: '450000', output: '150000' });
    expect(cost.microUsd).toBe(1);
  });

  it.each([
    ['2025-05-31', '2025-01-01', 1_000],
    ['2025-06-01', '2025-06-01', 2_000],
  ])('prices a call on %s with the entry in force', (day, effectiveFrom, expected) => {
    const cost = callCost(TABLE, 'dated', day, usage({ inputTokens: 1000 }));
    expect(cost).toMatchObject({ priceEffectiveFrom: effectiveFrom, microUsd: expected });
  });

  it('fails a call before any price of its model', () => {
    expect(() => callCost(TABLE, 'dated', '2024-12-31', usage({ inputTokens: 1 }))).toThrow(
      /no price for dated/,
    );
  });

  it('fails usage whose cached tokens exceed its input', () => {
    expect(() =>
      callCost(TABLE, 'm', '2025-03-01', usage({ inputTokens: 10, cacheReadInputTokens: 11 })),
    ).toThrow(/exceed input tokens/);
  });
});

describe('embedding calls', () => {
  // Titan Text Embeddings V2's list price: $0.02 per million input tokens, no other token type.
  const TITAN: PriceTable = [
    {
      model: 'amazon.titan-embed-text-v2:0',
      effectiveFrom: '2024-04-30',
      tiers: [{ aboveInputTokens: 0, input: 20_000, output: 0 }],
    },
  ];
  /** Reports `tokens` input tokens for whatever it embeds, as Titan reports its count. */
  const titan = (tokens: number, calls: string[][] = []): Embeddings => ({
    name: 'bedrock:amazon.titan-embed-text-v2:0:3',
    dimensions: 3,
    model: 'amazon.titan-embed-text-v2:0',
    provider: 'aws.bedrock',
    embed: async (texts) => {
      calls.push([...texts]);
      return { vectors: texts.map(() => Float32Array.from([1, 0, 0])), inputTokens: tokens };
    },
  });
  const recorder = (embeddings: Embeddings) => {
    const records: UsageRecord[] = [];
    const observed: UsageRecord[] = [];
    let clock = Date.parse('2026-03-02T09:00:00Z');
    const deps = {
      embeddings,
      usage: { put: async (r: UsageRecord) => void records.push(r) },
      observe: (r: UsageRecord) => void observed.push(r),
      now: () => {
        clock += 25;
        return new Date(clock);
      },
      newId: () => 'e1',
    };
    return { deps, records, observed };
  };

  it.each([
    // 1,234 x $0.02/M = 24,680,000 pico-dollars = 24.68 micro-dollars, rounded half up once: 25
    [1_234, 25],
    // 25 x $0.02/M = 0.5 micro-dollars: half up, 1
    [25, 1],
    // 24 x $0.02/M = 0.48 micro-dollars: 0
    [24, 0],
    // 1,000,000 tokens are $0.02 exactly
    [1_000_000, 20_000],
  ])(
    'prices %i reported input tokens at the input price only: %i micro-dollars',
    async (tokens, expected) => {
      // Prepare
      const { deps, records } = recorder(titan(tokens));
      // Act
      await embedRecorded(deps, { principal: 'alice', prices: TITAN }, 'geo', ['a']);
      // Assess
      expect(records[0].costMicroUsd).toBe(expected);
      expect(records[0].usage).toEqual(usage({ inputTokens: tokens }));
    },
  );

  it('records the call under operation embeddings with its collection, prompt version and latency', async () => {
    // Prepare
    const { deps, records, observed } = recorder(titan(7));
    const charge = { principal: 'alice', prices: TITAN, prompt: { name: 'geo-qa', version: 2 } };
    // Act
    const vectors = await embedRecorded(deps, charge, 'geo', ['capital of Peru']);
    // Assess
    expect(vectors).toEqual([Float32Array.from([1, 0, 0])]);
    expect(records).toEqual([
      {
        id: 'e1',
        at: '2026-03-02T09:00:00.025Z',
        operation: 'embeddings',
        collection: 'geo',
        provider: 'aws.bedrock',
        model: 'amazon.titan-embed-text-v2:0',
        responseModel: 'amazon.titan-embed-text-v2:0',
        prompt: { name: 'geo-qa', version: 2 },
        principal: 'alice',
        usage: usage({ inputTokens: 7 }),
        costMicroUsd: 0,
        priceEffectiveFrom: '2024-04-30',
        latencyMs: 25,
        cacheHit: false,
      },
    ]);
    expect(observed).toEqual(records);
  });

  it('fails an embedding model the table does not price before calling it', async () => {
    // Prepare
    const calls: string[][] = [];
    const { deps, records } = recorder(titan(7, calls));
    // Act
    const call = embedRecorded(deps, { principal: 'alice', prices: [] }, 'geo', ['a']);
    // Assess
    await expect(call).rejects.toThrow('the price table has no price for amazon.titan-embed-text-v2:0');
    expect(calls).toEqual([]);
    expect(records).toEqual([]);
  });
});

describe('usage as backends report it', () => {
  it("counts Bedrock's cache tokens, reported beside inputTokens, once inside input", () => {
    // Prepare: Converse reports 100 uncached input tokens beside 800 read and 100 written
    const u = fromBedrockUsage({
      inputTokens: 100,
      outputTokens: 500,
      cacheReadInputTokens: 800,
      cacheWriteInputTokens: 100,
    });
    // Assess: the same call as 'cache read and write inside input' above, the same cost
    expect(u).toEqual(
      usage({
        inputTokens: 1000,
        outputTokens: 500,
        cacheReadInputTokens: 800,
        cacheCreationInputTokens: 100,
      }),
    );
    expect(callCost(TABLE, 'm', '2025-03-01', u).microUsd).toBe(8_415);
  });

  it("keeps OpenAI's cached tokens inside prompt_tokens, where it reports them", () => {
    const u = fromOpenAiUsage({
      prompt_tokens: 1000,
      completion_tokens: 500,
      prompt_tokens_details: { cached_tokens: 800 },
      completion_tokens_details: { reasoning_tokens: 200 },
    });
    expect(u).toEqual(
      usage({ inputTokens: 1000, outputTokens: 500, cacheReadInputTokens: 800, reasoningOutputTokens: 200 }),
    );
    // 200 x $3/M + 800 x $0.30/M + 500 x $15/M = 600 + 240 + 7500
    expect(callCost(TABLE, 'm', '2025-03-01', u).microUsd).toBe(8_340);
  });
});

describe('PriceTable', () => {
  it('fails tiers out of order', () => {
    const bad = [
      {
        model: 'x',
        effectiveFrom: '2025-01-01',
        tiers: [
          { aboveInputTokens: 0, input: 1, output: 1 },
          { aboveInputTokens: 0, input: 2, output: 2 },
        ],
      },
    ];
    expect(PriceTableSchema.safeParse(bad).success).toBe(false);
  });
});
