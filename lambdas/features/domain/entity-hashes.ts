/** The tombstone hashes an erasure leaves, computed from a view's entity keys. */

import { tombstoneHash } from '../../../contracts/erasure-keys';
import type { EntityValue, FeatureRow, FeatureView } from '../../../contracts/features';

/** The tombstone hashes of an entity key's join keys. */
export const entityHashes = (
  view: Pick<FeatureView, 'entities'>,
  entityKey: Readonly<Record<string, EntityValue>>,
): string[] => view.entities.map((e) => tombstoneHash(e.name, entityKey[e.name]));

/** The tombstone hashes of a row's join keys. */
export const rowHashes = (view: Pick<FeatureView, 'entities'>, row: FeatureRow): string[] =>
  entityHashes(view, row.entityKey);
