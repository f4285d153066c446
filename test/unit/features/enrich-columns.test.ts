/**
 * An entity list's header, checked before a batch job over a feature view is recorded: every join
 * key present, and every column a name the offline engine's catalog keeps as written.
 */
import { CreateFeatureViewRequest } from '../../../contracts/features';
import { checkEnrichmentColumns } from '../../../lambdas/features/domain/enrich';
import { FeatureViewNotFoundError, ValidationFailedError } from '../../../lambdas/features/domain/errors';
import { newFeatureView } from '../../../lambdas/features/domain/schema-evolution';

const VIEW = newFeatureView(
  CreateFeatureViewRequest.parse({
    name: 'customer_stats',
    entities: [{ name: 'customer_id', valueType: 'int64' }],
    features: [{ name: 'spend', dtype: 'float64' }],
    ttlSeconds: 0,
  }),
  '2024-01-01T00:00:00.000Z',
);
const views = { get: async (name: string) => (name === VIEW.name ? VIEW : undefined) };

/** The problems a header is refused with, as `field rule`. */
async function refusal(columns: string[]): Promise<string[]> {
  const error = await checkEnrichmentColumns({ views }, VIEW.name, columns).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationFailedError);
  const problems = (error as ValidationFailedError).details?.problems as { field: string; rule: string }[];
  return problems.map((p) => `${p.field} ${p.rule}`);
}

describe('checkEnrichmentColumns', () => {
  it('gives the view for a header with its join keys in lowercase identifiers', async () => {
    await expect(
      checkEnrichmentColumns({ views }, VIEW.name, ['id', 'customer_id', 'event_timestamp', '_note']),
    ).resolves.toBe(VIEW);
  });

  it('refuses a missing join key, naming it', async () => {
    await expect(refusal(['id'])).resolves.toEqual(['customer_id REQUIRED']);
  });

  it('refuses a column Athena would fold or could not name, each by name, on every engine', async () => {
    await expect(refusal(['Id', 'customer_id', 'order-no', '2nd', ''])).resolves.toEqual([
      'Id NAME_FORMAT',
      'order-no NAME_FORMAT',
      '2nd NAME_FORMAT',
      ' NAME_FORMAT',
    ]);
  });

  it('answers 404 for a view that does not exist', async () => {
    await expect(checkEnrichmentColumns({ views }, 'nope', ['customer_id'])).rejects.toBeInstanceOf(
      FeatureViewNotFoundError,
    );
  });
});
