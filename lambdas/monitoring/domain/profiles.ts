/**
 * Use cases on reference profiles: build one for a registered version from its training data,
 * store it in S3 and link it from the version (a registry tag, set through the registry's own
 * domain so the change is audited and evented); load it back for a check.
 */

import type { BuildProfileRequest } from '../../../contracts/monitoring';
import { monitoringKeys, REFERENCE_PROFILE_TAG } from '../../../contracts/monitoring-names';
import type { ReferenceProfileReply } from '../../../contracts/monitoring-reports';
import type { ModelVersion } from '../../../contracts/registry';
import { pinAnswer } from '../../shared/effect-scope';
import { UnprocessableError, VersionNotFoundError } from '../../shared/errors';
import { loadRows, parseS3Uri } from './data-sources';
import type { MonitoringDeps } from './ports';
import { buildProfile, describeProfile, type ReferenceProfile } from './profile';

async function requireVersion(
  deps: MonitoringDeps,
  modelName: string,
  version: number,
): Promise<ModelVersion> {
  const found = await deps.registry.getVersion(modelName, version);
  if (!found) throw new VersionNotFoundError(modelName, version);
  return found;
}

/** Builds, stores and links the profile; returns it without samples, with its URI. */
export async function createReferenceProfile(
  deps: MonitoringDeps,
  actor: { readonly principal: string; readonly requestId?: string },
  modelName: string,
  version: number,
  req: BuildProfileRequest,
): Promise<ReferenceProfileReply> {
  await requireVersion(deps, modelName, version);
  const { rows, source } = await loadRows(deps.objects, req.data, deps.readableBuckets);
  const profile = buildProfile({
    modelName,
    modelVersion: version,
    source,
    createdAt: deps.now().toISOString(),
    rows,
    features: req.features,
    exclude: req.exclude,
    overrides: req.overrides,
  });
  const key = monitoringKeys.profile(modelName, version);
  await deps.objects.putText(key, JSON.stringify(profile), 'application/json');
  const uri = `s3://${deps.objects.bucket}/${key}`;
  const reply: ReferenceProfileReply = { uri, profile: describeProfile(profile) };
  // The link is the effect: a keyed request's record commits with the registry's tag change,
  // holding this answer rather than the version the registry would answer.
  pinAnswer(reply);
  await deps.registry.tagVersion(modelName, version, { [REFERENCE_PROFILE_TAG]: uri }, actor);
  return reply;
}

/**
 * The version's stored profile.
 * @throws NotFoundError `VERSION_NOT_FOUND`; UnprocessableError `NO_REFERENCE_PROFILE` when none is linked
 */
export async function loadReferenceProfile(
  deps: MonitoringDeps,
  modelName: string,
  version: number,
): Promise<{ uri: string; profile: ReferenceProfile }> {
  const found = await requireVersion(deps, modelName, version);
  const uri = found.tags[REFERENCE_PROFILE_TAG];
  const missing = () =>
    new UnprocessableError(
      'NO_REFERENCE_PROFILE',
      `${modelName} version ${version} has no reference profile: POST /monitoring/models/${modelName}/versions/${version}/reference-profile`,
    );
  if (!uri) throw missing();
  const { bucket, key } = parseS3Uri(uri);
  const bytes = await deps.objects.getBytes(key, bucket);
  if (!bytes) throw missing();
  return { uri, profile: JSON.parse(Buffer.from(bytes).toString('utf8')) as ReferenceProfile };
}
