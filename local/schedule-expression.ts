/**
 * EventBridge schedule expressions for the local rule runner: `rate(value unit)` and the six-field
 * `cron(minutes hours day-of-month month day-of-week year)`, in UTC. Supports `*`, `?`, numbers,
 * ranges, lists and steps; the `L`, `W` and `#` specials are refused with a clear error.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html
 */

export type Schedule = { kind: 'rate'; everyMs: number } | { kind: 'cron'; fields: Set<number>[] };

const UNIT_MS: Record<string, number> = {
  minute: 60_000,
  minutes: 60_000,
  hour: 3_600_000,
  hours: 3_600_000,
  day: 86_400_000,
  days: 86_400_000,
};
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
/** [min, max] per cron field; day-of-week is 1-7 (SUN-SAT) in EventBridge. */
const RANGES: Array<[number, number]> = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [1, 7],
  [1970, 2199],
];

export function parseScheduleExpression(expression: string): Schedule {
  const rate = /^rate\((\d+)\s+(minutes?|hours?|days?)\)$/.exec(expression.trim());
  if (rate) {
    const value = Number(rate[1]);
    if (value < 1) throw new Error(`schedule ${expression}: rate must be at least 1`);
    return { kind: 'rate', everyMs: value * UNIT_MS[rate[2]] };
  }
  const cron = /^cron\((.+)\)$/.exec(expression.trim());
  if (!cron) throw new Error(`schedule ${expression}: expected rate(...) or cron(...)`);
  const parts = cron[1].trim().split(/\s+/);
  if (parts.length !== 6) throw new Error(`schedule ${expression}: cron needs 6 fields, got ${parts.length}`);
  return { kind: 'cron', fields: parts.map((p, i) => parseField(p, i, expression)) };
}

function parseField(field: string, index: number, expression: string): Set<number> {
  const [min, max] = RANGES[index];
  const values = new Set<number>();
  if (field === '*' || field === '?') {
    for (let v = min; v <= max; v++) values.add(v);
    return values;
  }
  for (const part of field.split(',')) {
    // Specials look like `L`, `5L`, `15W`, `LW`, `6#3`; month and day names (JUL, WED) are not.
    if (/#|^\d*L$|^\d+W$|^LW$/i.test(part))
      throw new Error(`schedule ${expression}: '${part}' (L, W, #) is not supported locally`);
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    let [from, to] = range === '*' ? [min, max] : range.split('-').map((v) => toNumber(v, index));
    if (to === undefined) to = stepText === undefined ? from : max;
    if (![from, to, step].every(Number.isInteger) || from < min || to > max || step < 1) {
      throw new Error(`schedule ${expression}: field ${index + 1} '${part}' is out of range ${min}-${max}`);
    }
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

function toNumber(value: string, index: number): number {
  const upper = value.toUpperCase();
  if (index === 3 && MONTHS.includes(upper)) return MONTHS.indexOf(upper) + 1;
  if (index === 4 && DAYS.includes(upper)) return DAYS.indexOf(upper) + 1;
  return Number(value);
}

/** The first time strictly after `after` that the schedule fires (whole UTC minutes for cron). */
export function nextFireTime(schedule: Schedule, after: Date, startedAt: Date = after): Date {
  if (schedule.kind === 'rate') {
    const periods = Math.floor((after.getTime() - startedAt.getTime()) / schedule.everyMs) + 1;
    return new Date(startedAt.getTime() + periods * schedule.everyMs);
  }
  const [minutes, hours, days, months, weekdays, years] = schedule.fields;
  const t = new Date(after.getTime());
  t.setUTCSeconds(0, 0);
  // A minute-by-minute scan is at most ~527k steps for a yearly schedule: fine, and obviously right.
  for (let i = 0; i < 60 * 24 * 366 * 5; i++) {
    t.setUTCMinutes(t.getUTCMinutes() + 1);
    if (
      minutes.has(t.getUTCMinutes()) &&
      hours.has(t.getUTCHours()) &&
      days.has(t.getUTCDate()) &&
      months.has(t.getUTCMonth() + 1) &&
      weekdays.has(t.getUTCDay() + 1) &&
      years.has(t.getUTCFullYear())
    ) {
      return t;
    }
  }
  throw new Error('schedule never fires in the next five years');
}
