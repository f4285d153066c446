/**
 * The check behind "every alarm reaches a person": every `AWS::CloudWatch::Alarm` of every
 * template in a cloud assembly (the platform stack and each nested stack) has ALARM and OK
 * actions, one of them a platform alert topic.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

interface CfnResource {
  readonly Type: string;
  readonly Properties?: { AlarmActions?: unknown[]; OKActions?: unknown[] };
}

/** Every alarm of the templates, as `<template file>: <logical id>`, with its actions. */
export function assemblyAlarms(
  outdir: string,
): Array<{ alarm: string; alarmActions: unknown[]; okActions: unknown[] }> {
  return readdirSync(outdir)
    .filter((f) => f.endsWith('.template.json'))
    .flatMap((file) => {
      const resources: Record<string, CfnResource> =
        JSON.parse(readFileSync(path.join(outdir, file), 'utf8')).Resources ?? {};
      return Object.entries(resources)
        .filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm')
        .map(([id, r]) => ({
          alarm: `${file}: ${id}`,
          alarmActions: r.Properties?.AlarmActions ?? [],
          okActions: r.Properties?.OKActions ?? [],
        }));
    });
}

const ALERT_TOPIC = /:sns:.*:mlops-[a-z0-9-]+-alerts-(critical|warning)"/;

/** Alarms without an ALARM or OK action to a platform alert topic (empty when all are wired). */
export function alarmsWithoutActions(outdir: string): string[] {
  return assemblyAlarms(outdir)
    .filter(
      (a) =>
        !a.alarmActions.some((x) => ALERT_TOPIC.test(JSON.stringify(x))) ||
        !a.okActions.some((x) => ALERT_TOPIC.test(JSON.stringify(x))),
    )
    .map((a) => a.alarm);
}
