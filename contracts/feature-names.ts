/**
 * The feature store's limits and names: push and lookup limits, the timestamp columns, full
 * feature names and `view:feature` references, view and field names. Apart from `features.ts`
 * (which re-exports them), so a function that only reads features or checks a name (serving's
 * enrichment, an erasure request) builds two schemas and not the feature store's requests.
 */
import * as z from 'zod';
import { lazySchema } from './lazy-schema';

/** Rows one push may carry; a bigger backfill goes through the offline store and materialization. */
export const MAX_PUSH_ROWS = 1000;
/** Entity rows one online lookup may name: ten BatchGetItem calls of 100 keys per view. */
export const MAX_LOOKUP_ENTITIES = 1000;
/** Feature references one lookup or training set may name. */
export const MAX_LOOKUP_FEATURES = 200;
/**
 * Values one online lookup may answer: entity rows x (entity columns + features). Feast's answer
 * spends about 75 bytes on a numeric value (value, status, timestamp, escaped in Lambda's
 * response), so 50,000 keep the largest numeric answer near 4 MB, under the 6 MB a function may
 * return; 1,000 rows x 200 features would be 8.2 MB. An answer that still passes 6 MB (long
 * strings) is refused whole (RESPONSE_TOO_LARGE) rather than failing as a 502.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
 */
export const MAX_LOOKUP_VALUES = 50_000;
/** Features one view may declare: they all sit in one DynamoDB item of at most 400 KB. */
export const MAX_FEATURES_PER_VIEW = 200;
/** Join keys one view may declare. */
export const MAX_ENTITIES_PER_VIEW = 5;
/** Characters of a string entity value; the serialized key must fit a 2048-byte partition key. */
export const MAX_ENTITY_STRING_LENGTH = 256;
/** Entity rows a training-set request may carry inline; larger sets are given as an S3 object. */
export const MAX_INLINE_TRAINING_ROWS = 10_000;
/** How far in the future an event timestamp may be (clock skew between producers and us). */
export const DEFAULT_MAX_FUTURE_SKEW_SECONDS = 300;
/** Column holding a row's event time, as in Feast's push and entity dataframes. */
export const EVENT_TIMESTAMP_FIELD = 'event_timestamp';
/** Column holding when a row was written; Feast's tie-breaker between equal event times. */
export const CREATED_TIMESTAMP_FIELD = 'created_timestamp';
/** Separator of full feature names (`view__feature`), as Feast's `full_feature_names=True`. */
export const FULL_NAME_SEPARATOR = '__';

/**
 * View, entity and feature names are lowercase identifiers: they become Glue table and column
 * names, which Athena folds to lowercase, and S3 partition prefixes.
 * @see https://docs.aws.amazon.com/athena/latest/ug/tables-databases-columns-names.html
 */
const IDENTIFIER = /^[a-z][a-z0-9_]{0,62}$/;
export const FeatureViewName = lazySchema(() =>
  z.string().regex(IDENTIFIER, 'must be 1-63 lowercase letters, digits or _, starting with a letter'),
);
export const FieldName = FeatureViewName;

/** Splits `view:feature`; `FeatureRef` in `features.ts` has checked the shape. */
export function parseFeatureRef(ref: string): { readonly view: string; readonly feature: string } {
  const at = ref.indexOf(':');
  return { view: ref.slice(0, at), feature: ref.slice(at + 1) };
}
