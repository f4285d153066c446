/**
 * Compile-time checks of the monitoring replies: each route's response schema in the route table
 * and the type the route sends are the same shape, so the API document cannot drift from the
 * reports, profiles and outcomes the domain computes. The domain's types stay beside their
 * statistics; a change on either side fails `tsc` here.
 * @see ../../contracts/monitoring-responses.ts
 */
import type * as z from 'zod';
import type {
  CheckOutcomeResponse,
  DriftReportResponse,
  GroundTruthResponse,
  QualityReportResponse,
  ReferenceProfileResponse,
  ReportPageResponse,
} from '../../contracts/monitoring-responses';
import { type Same, sameShape } from '../../contracts/same-shape';
import type { DriftReport } from './domain/drift-report';
import type { Page, ReportEntry } from './domain/ports';
import type { describeProfile } from './domain/profile';
import type { createReferenceProfile } from './domain/profiles';
import type { postGroundTruth, QualityReport } from './domain/quality-checks';
import type { CheckOutcome } from './domain/scheduled-checks';

type Reply<F extends (...args: never[]) => Promise<unknown>> = Awaited<ReturnType<F>>;

sameShape<Same<z.output<typeof ReferenceProfileResponse>, Reply<typeof createReferenceProfile>>>(true);
sameShape<
  Same<
    z.output<typeof ReferenceProfileResponse>,
    { uri: string; profile: ReturnType<typeof describeProfile> }
  >
>(true);
sameShape<Same<z.output<typeof DriftReportResponse>, DriftReport>>(true);
sameShape<Same<z.output<typeof QualityReportResponse>, QualityReport>>(true);
sameShape<Same<z.output<typeof ReportPageResponse>, Page<ReportEntry>>>(true);
sameShape<Same<z.output<typeof GroundTruthResponse>, Reply<typeof postGroundTruth>>>(true);
sameShape<Same<z.output<typeof CheckOutcomeResponse>, CheckOutcome>>(true);
