/**
 * Compile-time checks of the feature store's replies whose domain type lives here rather than in
 * `contracts/`: the route table's response schema and the type the route sends are the same shape.
 * @see ../../contracts/features-responses.ts for the others
 */
import type * as z from 'zod';
import type { FeatureView } from '../../contracts/features';
import type { FeatureViewPageResponse } from '../../contracts/features-responses';
import { type Same, sameShape } from '../../contracts/same-shape';
import type { Page } from './domain/ports';

sameShape<Same<z.output<typeof FeatureViewPageResponse>, Page<FeatureView>>>(true);
