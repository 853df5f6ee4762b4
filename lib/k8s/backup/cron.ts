/**
 * The cron dialect Velero's schedule controller accepts (robfig/cron v3 `ParseStandard`): five fields, `*` and `?`,
 * lists, ranges, steps, month and weekday names, and the `@hourly`-style descriptors. Parsing, validation and the
 * longest interval between consecutive firings live here, table-driven, so they can be tested alone.
 * @see https://pkg.go.dev/github.com/robfig/cron/v3
 */

/** One cron field's bounds and names. */
export interface CronFieldRule {
  /** The field's name as messages show it. */
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Accepted names (lower case) and their values. */
  readonly names?: Readonly<Record<string, number>>;
}

/** The five fields, in order. */
export const CRON_FIELDS: readonly CronFieldRule[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  {
    name: 'month', min: 1, max: 12,
    names: { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 },
  },
  { name: 'day-of-week', min: 0, max: 6, names: { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } },
];

/** The descriptors robfig/cron accepts, as the five-field expressions they stand for. */
export const CRON_DESCRIPTORS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

/** A parsed expression: the values each field matches. */
export interface ParsedCron {
  /** The expression as given. */
  readonly expression: string;
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly daysOfMonth: readonly number[];
  readonly months: readonly number[];
  readonly daysOfWeek: readonly number[];
  /**
   * Whether day-of-month or day-of-week is unrestricted (`*` or `?` without a step above 1). When either is, a day
   * must match both fields; when neither is, matching either is enough (classic cron and robfig/cron agree).
   */
  readonly dayStar: boolean;
}

/** Why an expression is refused: the rule it breaks and how to fix it (the two halves of a `propError`). */
export interface CronProblem {
  readonly rule: string;
  readonly fix: string;
}

const FIELD_LIST = 'minute hour day-of-month month day-of-week';

/** Parses and validates an expression; returns the parsed form or the problem. */
export function parseCron(expression: string): ParsedCron | CronProblem {
  const trimmed = expression.trim();
  const expanded = CRON_DESCRIPTORS[trimmed.toLowerCase()] ?? trimmed;
  const fields = expanded.split(/\s+/).filter((f) => f !== '');
  if (fields.length !== 5) {
    return {
      rule: `must have 5 fields (${FIELD_LIST}), got ${fields.length}`,
      fix: 'write e.g. "0 * * * *" (hourly) or "0 2 * * *" (02:00 daily); seconds, years, time zones and @every are not supported',
    };
  }
  const values: number[][] = [];
  let dayStar = false;
  for (let i = 0; i < 5; i++) {
    const parsed = parseField(fields[i], CRON_FIELDS[i]);
    if ('rule' in parsed) return parsed;
    values.push(parsed.values);
    if ((i === 2 || i === 4) && parsed.star) dayStar = true;
  }
  const cron: ParsedCron = {
    expression, minutes: values[0], hours: values[1], daysOfMonth: values[2], months: values[3], daysOfWeek: values[4], dayStar,
  };
  if (matchingDays(cron).length === 0) {
    return {
      rule: 'never fires: no date matches its day-of-month, month and day-of-week',
      fix: 'check the day-of-month against the month\'s length, e.g. "0 0 30 2 *" names February 30th',
    };
  }
  return cron;
}

/** Whether `parseCron` refused the expression. */
export function isCronProblem(value: ParsedCron | CronProblem): value is CronProblem {
  return 'rule' in value;
}

function parseField(text: string, rule: CronFieldRule): { values: number[]; star: boolean } | CronProblem {
  const bits = new Set<number>();
  let star = false;
  const invalid = (part: string): CronProblem => ({
    rule: `has an invalid ${rule.name} "${part}"`,
    fix: `use a number ${rule.min}-${rule.max}${rule.names ? ' or a name' : ''}, a range "a-b", a list "a,b", "*" or a step "*/n"`,
  });
  for (const part of text.split(',')) {
    const slash = part.split('/');
    if (slash.length > 2) return invalid(part);
    const range = slash[0].split('-');
    let start: number;
    let end: number;
    let partStar = false;
    if (range[0] === '*' || range[0] === '?') {
      if (range.length !== 1) return invalid(part);
      start = rule.min;
      end = rule.max;
      partStar = true;
    } else {
      if (range.length > 2) return invalid(part);
      const a = parseValue(range[0], rule);
      const b = range.length === 2 ? parseValue(range[1], rule) : a;
      if (a === undefined || b === undefined) return invalid(part);
      start = a;
      end = range.length === 1 && slash.length === 2 ? rule.max : b;
      for (const v of [a, b]) {
        if (v < rule.min || v > rule.max) {
          return { rule: `has ${rule.name} ${v} out of range ${rule.min}-${rule.max}`, fix: `use a ${rule.name} between ${rule.min} and ${rule.max}` };
        }
      }
      if (start > end) {
        return { rule: `has ${rule.name} range ${a}-${b} whose start is after its end`, fix: `write the smaller value first, e.g. "${b}-${a}"` };
      }
    }
    let step = 1;
    if (slash.length === 2) {
      if (!/^\d+$/.test(slash[1])) return invalid(part);
      step = Number(slash[1]);
      if (step === 0) return { rule: `has a ${rule.name} step of 0`, fix: 'use a positive step, e.g. "*/15"' };
      if (step > 1) partStar = false;
    }
    if (partStar) star = true;
    for (let v = start; v <= end; v += step) bits.add(v);
  }
  return { values: [...bits].sort((x, y) => x - y), star };
}

function parseValue(text: string, rule: CronFieldRule): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  const named = rule.names?.[text.toLowerCase()];
  return named;
}

/** Days in the Gregorian 400-year cycle, a whole number of weeks: the calendar repeats exactly after it. */
export const GREGORIAN_CYCLE_DAYS = 146097;

const cycleCache = new Map<string, number[]>();

/**
 * The indexes (0 = 2000-01-01) of the days in one 400-year cycle on which the expression fires. Only the day
 * fields matter, so the result is cached by them.
 */
export function matchingDays(cron: ParsedCron): number[] {
  const key = `${cron.daysOfMonth.join(',')} ${cron.months.join(',')} ${cron.daysOfWeek.join(',')} ${cron.dayStar}`;
  const cached = cycleCache.get(key);
  if (cached) return cached;
  const dom = new Set(cron.daysOfMonth);
  const months = new Set(cron.months);
  const dow = new Set(cron.daysOfWeek);
  const days: number[] = [];
  let index = 0;
  let weekday = 6; // 2000-01-01 was a Saturday
  for (let year = 2000; year < 2400; year++) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    for (let month = 1; month <= 12; month++) {
      const length = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
      for (let day = 1; day <= length; day++) {
        if (months.has(month)) {
          const d = dom.has(day);
          const w = dow.has(weekday);
          if (cron.dayStar ? d && w : d || w) days.push(index);
        }
        index++;
        weekday = (weekday + 1) % 7;
      }
    }
  }
  cycleCache.set(key, days);
  return days;
}

/**
 * The longest time, in minutes, between two consecutive firings of the expression, over the whole calendar
 * (including the gap that wraps from the last firing of a 400-year cycle to the first of the next).
 */
export function longestIntervalMinutes(cron: ParsedCron): number {
  const times: number[] = [];
  for (const h of cron.hours) for (const m of cron.minutes) times.push(h * 60 + m);
  times.sort((a, b) => a - b);
  let longest = 0;
  for (let i = 1; i < times.length; i++) longest = Math.max(longest, times[i] - times[i - 1]);
  const days = matchingDays(cron);
  let longestDayGap = days[0] + GREGORIAN_CYCLE_DAYS - days[days.length - 1];
  for (let i = 1; i < days.length; i++) longestDayGap = Math.max(longestDayGap, days[i] - days[i - 1]);
  return Math.max(longest, longestDayGap * 1440 - times[times.length - 1] + times[0]);
}
