/**
 * Per-endpoint alarm and check settings of `mlops:endpoints`: how many bad minutes roll a canary
 * back and how often a rollout reads the alarms, from config to template.
 */
import { parsePlatformConfig } from '../../contracts/config';
import { buildApp } from '../../lib/app';
import { cdkJsonContext, deploymentTargetValue, platformTemplate, SKIP_BUNDLING } from './helpers';

describe('mlops:endpoints alarm settings', () => {
  it('judges a canary on its first bad minute and reads alarms as often as configured', () => {
    // Prepare
    const { stack } = buildApp(
      cdkJsonContext({
        ...SKIP_BUNDLING,
        'mlops:endpoints': [
          {
            modelName: 'fast',
            alarmEvaluationPeriods: 1,
            alarmDatapointsToAlarm: 1,
            alarmCheckSeconds: 5,
            latencyThresholdMicroseconds: 250_000,
            errorRateThresholdPercent: 1,
          },
          { modelName: 'steady' },
        ],
      }),
    );
    // Act
    const template = platformTemplate(stack);
    // Assess: 1 of 1 for the fast model's alarms, 2 of 3 (the default) for the other's
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'mlops-dev-fast-challenger-error-rate',
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'mlops-dev-fast-challenger-latency-p95',
      Threshold: 250_000,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'mlops-dev-fast-challenger-error-rate',
      Threshold: 1,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'mlops-dev-steady-challenger-error-rate',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
    });
    expect(deploymentTargetValue(template, 'fast')).toMatchObject({ alarmCheckSeconds: 5 });
    expect(deploymentTargetValue(template, 'steady')).toMatchObject({ alarmCheckSeconds: 60 });
  });

  it('refuses more bad minutes than the alarm looks at', () => {
    expect(() =>
      parsePlatformConfig({
        'mlops:envName': 'dev',
        'mlops:endpoints': [{ modelName: 'churn', alarmEvaluationPeriods: 2, alarmDatapointsToAlarm: 3 }],
      }),
    ).toThrow(/mlops:endpoints\.0\.alarmDatapointsToAlarm: must be <= alarmEvaluationPeriods/);
    expect(() =>
      parsePlatformConfig({
        'mlops:envName': 'dev',
        'mlops:endpoints': [{ modelName: 'churn', alarmCheckSeconds: 0 }],
      }),
    ).toThrow(/mlops:endpoints\.0\.alarmCheckSeconds/);
  });
});
