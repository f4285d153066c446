import { nextFireTime, parseScheduleExpression } from '../../../local/schedule-expression';

const at = (iso: string) => new Date(iso);

describe('parseScheduleExpression', () => {
  it.each([
    ['rate(1 minute)', 60_000],
    ['rate(5 minutes)', 300_000],
    ['rate(2 hours)', 7_200_000],
    ['rate(1 day)', 86_400_000],
  ])('reads %s', (expression, everyMs) => {
    expect(parseScheduleExpression(expression)).toEqual({ kind: 'rate', everyMs });
  });

  it.each([
    ['every 5 minutes', /expected rate\(...\) or cron\(...\)/],
    ['rate(0 minutes)', /at least 1/],
    ['cron(0 12 * * ?)', /6 fields/],
    ['cron(0 12 L * ? *)', /not supported locally/],
    ['cron(61 * * * ? *)', /out of range 0-59/],
  ])('fails %s with a clear message', (expression, message) => {
    expect(() => parseScheduleExpression(expression)).toThrow(message);
  });
});

describe('nextFireTime', () => {
  it('fires a rate schedule on its period from the start', () => {
    // Prepare
    const schedule = parseScheduleExpression('rate(5 minutes)');
    const start = at('2026-11-24T10:00:00Z');
    // Act
    const next = nextFireTime(schedule, at('2026-11-24T10:07:00Z'), start);
    // Assess
    expect(next.toISOString()).toBe('2026-11-24T10:10:00.000Z');
  });

  it.each([
    ['cron(0 12 * * ? *)', '2026-11-24T12:30:00Z', '2026-11-25T12:00:00.000Z'],
    ['cron(0/15 * * * ? *)', '2026-11-24T10:01:00Z', '2026-11-24T10:15:00.000Z'],
    ['cron(0 9 ? * MON-FRI *)', '2026-11-27T10:00:00Z', '2026-11-30T09:00:00.000Z'],
    ['cron(30 2 1 JAN,JUL ? *)', '2026-11-24T00:00:00Z', '2027-01-01T02:30:00.000Z'],
  ])('%s after %s is %s', (expression, after, expected) => {
    expect(nextFireTime(parseScheduleExpression(expression), at(after)).toISOString()).toBe(expected);
  });

  it('counts day-of-week from 1 = SUN as EventBridge does', () => {
    // 2026-11-29 is a Sunday.
    const next = nextFireTime(parseScheduleExpression('cron(0 0 ? * 1 *)'), at('2026-11-24T00:00:00Z'));
    expect(next.toISOString()).toBe('2026-11-29T00:00:00.000Z');
  });
});
