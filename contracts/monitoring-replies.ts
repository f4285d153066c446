/**
 * What each monitoring route answers, by route id: the reply schemas of the API document
 * (`routes.ts` joins them to the routes). Apart from `monitoring-routes.ts`, whose schemas the router
 * parses requests with, so a handler's cold start builds no reply schema.
 */
import {
  CheckOutcomeResponse,
  DriftReportResponse,
  GroundTruthResponse,
  MonitoringReportResponse,
  QualityReportResponse,
  ReferenceProfileResponse,
  ReportPageResponse,
} from './monitoring-responses';
import type { MONITORING_ROUTES } from './monitoring-routes';
import type { RouteReplies } from './route-declaration';

export const MONITORING_REPLIES = {
  CreateReferenceProfile: { response: ReferenceProfileResponse },
  GetReferenceProfile: { response: ReferenceProfileResponse },
  CheckDrift: { response: DriftReportResponse },
  RunMonitoringCheck: { response: CheckOutcomeResponse },
  ListMonitoringReports: { response: ReportPageResponse },
  GetMonitoringReport: { response: MonitoringReportResponse },
  GetMonitoringReportHtml: {},
  PostGroundTruth: { response: GroundTruthResponse },
  CreateQualityReport: { response: QualityReportResponse },
} as const satisfies RouteReplies<typeof MONITORING_ROUTES>;
