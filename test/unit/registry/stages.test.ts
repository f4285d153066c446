import { MAX_ARCHIVED_PER_TRANSITION, planStageTransition } from '../../../lambdas/registry/domain/stages';
import { ConflictError, UnprocessableError } from '../../../lambdas/shared/errors';
import { aVersion } from './fixtures';

const at = '2026-11-24T01:00:00.000Z';
/** When the versions already in the target stage were last changed, as read. */
const read = '2026-11-24T00:30:00.000Z';

describe('planStageTransition', () => {
  it('moves Staging to Production and counts one more Production version', () => {
    // Act
    const plan = planStageTransition({
      version: aVersion(),
      to: 'Production',
      archiveExistingVersions: false,
      inTargetStage: [],
      at,
    });
    // Assess
    expect(plan).toMatchObject({ from: 'Staging', to: 'Production', archive: [], productionDelta: 1 });
    expect(plan.expectedUpdatedAt).toBe(aVersion().updatedAt);
  });

  it('archives the versions already in the target stage when asked, keeping the count', () => {
    // Prepare
    const inTargetStage = [
      { version: 1, stage: 'Production' as const, updatedAt: read },
      { version: 2, stage: 'Production' as const, updatedAt: read },
    ];
    // Act
    const plan = planStageTransition({
      version: aVersion(),
      to: 'Production',
      archiveExistingVersions: true,
      inTargetStage,
      at,
    });
    // Assess
    expect(plan.archive).toEqual([
      { version: 1, from: 'Production', updatedAt: read },
      { version: 2, from: 'Production', updatedAt: read },
    ]);
    expect(plan.productionDelta).toBe(-1);
  });

  it('pins the Production versions read when archiving into Production, and only then', () => {
    // Prepare
    const inTargetStage = [
      { version: 1, stage: 'Production' as const, updatedAt: read },
      { version: 2, stage: 'Production' as const, updatedAt: read },
    ];
    const plan = (archiveExistingVersions: boolean, to: 'Production' | 'Staging') =>
      planStageTransition({
        version: aVersion({ stage: 'None' }),
        to,
        archiveExistingVersions,
        inTargetStage,
        at,
      });
    // Act
    const archiving = plan(true, 'Production');
    // Assess
    expect(archiving.expectedProductionVersions).toBe(2);
    expect(plan(false, 'Production').expectedProductionVersions).toBeUndefined();
    expect(plan(true, 'Staging').expectedProductionVersions).toBeUndefined();
  });

  it('pins the Staging versions read when archiving into Staging, and keeps both counts', () => {
    // Prepare
    const plan = (archiveExistingVersions: boolean) =>
      planStageTransition({
        version: aVersion({ stage: 'Production' }),
        to: 'Staging',
        archiveExistingVersions,
        inTargetStage: [
          { version: 1, stage: 'Staging', updatedAt: read },
          { version: 2, stage: 'Staging', updatedAt: read },
        ],
        at,
      });
    // Act
    const archiving = plan(true);
    const keeping = plan(false);
    // Assess
    expect(archiving).toMatchObject({ expectedStagingVersions: 2, stagingDelta: -1, productionDelta: -1 });
    expect(archiving.expectedProductionVersions).toBeUndefined();
    expect(keeping).toMatchObject({ stagingDelta: 1, productionDelta: -1 });
    expect(keeping.expectedStagingVersions).toBeUndefined();
  });

  it('leaves other versions alone without archiveExistingVersions', () => {
    const plan = planStageTransition({
      version: aVersion(),
      to: 'Production',
      archiveExistingVersions: false,
      inTargetStage: [{ version: 1, stage: 'Production', updatedAt: read }],
      at,
    });
    expect(plan.archive).toEqual([]);
  });

  it('ignores archiveExistingVersions for Archived and None, as MLflow does', () => {
    const plan = planStageTransition({
      version: aVersion({ stage: 'Production' }),
      to: 'Archived',
      archiveExistingVersions: true,
      inTargetStage: [{ version: 1, stage: 'Archived', updatedAt: read }],
      at,
    });
    expect(plan).toMatchObject({ archive: [], productionDelta: -1 });
  });

  it('allows moving back from Archived to Staging', () => {
    const plan = planStageTransition({
      version: aVersion({ stage: 'Archived' }),
      to: 'Staging',
      archiveExistingVersions: false,
      inTargetStage: [],
      at,
    });
    expect(plan).toMatchObject({ from: 'Archived', to: 'Staging', productionDelta: 0 });
  });

  it('fails for a version that is not READY', () => {
    expect(() =>
      planStageTransition({
        version: aVersion({ status: 'PENDING_UPLOAD' }),
        to: 'Staging',
        archiveExistingVersions: false,
        inTargetStage: [],
        at,
      }),
    ).toThrow(UnprocessableError);
  });

  it('fails when the version is already in the target stage', () => {
    expect(() =>
      planStageTransition({
        version: aVersion(),
        to: 'Staging',
        archiveExistingVersions: false,
        inTargetStage: [],
        at,
      }),
    ).toThrow(ConflictError);
  });

  it('fails when more versions would be archived than one transaction holds', () => {
    const inTargetStage = Array.from({ length: MAX_ARCHIVED_PER_TRANSITION + 1 }, (_, i) => ({
      version: 100 + i,
      stage: 'Staging' as const,
      updatedAt: read,
    }));
    expect(() =>
      planStageTransition({
        version: aVersion({ stage: 'None' }),
        to: 'Staging',
        archiveExistingVersions: true,
        inTargetStage,
        at,
      }),
    ).toThrow(/archive at most 48/);
  });
});
