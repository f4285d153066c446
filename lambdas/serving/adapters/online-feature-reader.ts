/**
 * FeatureReader on the platform's online feature store (lambdas/features): the same lookup as
 * `POST /get-online-features`, run in process against the store's DynamoDB tables, so a
 * prediction costs no second HTTP hop. Values that are not PRESENT (missing, older than the view's
 * TTL) or not numeric come back as null.
 */
import { FULL_NAME_SEPARATOR, parseFeatureRef } from '../../../contracts/feature-names';
import { getOnlineFeatures, type OnlineLookupStores } from '../../features';
import type { FeatureReader } from '../domain/ports';

export class OnlineStoreFeatureReader implements FeatureReader {
  constructor(private readonly stores: OnlineLookupStores) {}

  async read(
    features: readonly string[],
    entities: Record<string, ReadonlyArray<string | number>>,
  ): Promise<Array<Array<number | null>>> {
    const response = await getOnlineFeatures(this.stores, {
      features: [...features],
      entities: Object.fromEntries(Object.entries(entities).map(([k, v]) => [k, [...v]])),
      full_feature_names: true,
    });
    const names = response.metadata.feature_names;
    const columns = features.map((ref) => {
      const { view, feature } = parseFeatureRef(ref);
      const index = names.indexOf(`${view}${FULL_NAME_SEPARATOR}${feature}`);
      if (index < 0) throw new Error(`the online store did not return ${ref}`);
      return response.results[index];
    });
    const rowCount = Object.values(entities)[0]?.length ?? 0;
    return Array.from({ length: rowCount }, (_, i) =>
      columns.map((c) => {
        const v = c.values[i];
        if (c.statuses[i] !== 'PRESENT') return null;
        if (typeof v === 'number') return v;
        if (typeof v === 'boolean') return v ? 1 : 0;
        return null;
      }),
    );
  }
}
