import { CronProblem, isCronProblem, longestIntervalMinutes, matchingDays, parseCron, ParsedCron } from '../../../lib/k8s/backup';

const parsed = (expression: string): ParsedCron => {
  const result = parseCron(expression);
  if (isCronProblem(result)) throw new Error(`${expression}: ${result.rule}`);
  return result;
};
const problem = (expression: string): CronProblem => {
  const result = parseCron(expression);
  if (!isCronProblem(result)) throw new Error(`${expression} parsed`);
  return result;
};

describe('parseCron', () => {
  test.each([
    ['0 * * * *', { minutes: [0], hours: Array.from({ length: 24 }, (_, i) => i) }],
    ['*/15 2 * * *', { minutes: [0, 15, 30, 45], hours: [2] }],
    ['5-10/2 1,3 * * *', { minutes: [5, 7, 9], hours: [1, 3] }],
    ['50/5 0 * * *', { minutes: [50, 55], hours: [0] }],
  ])('%s: minutes and hours', (expression, expected) => {
    const cron = parsed(expression);
    expect({ minutes: cron.minutes, hours: cron.hours }).toEqual(expected);
  });

  test('month and weekday names, case-insensitive', () => {
    const cron = parsed('0 0 * jan-MAR mon,Fri');
    expect(cron.months).toEqual([1, 2, 3]);
    expect(cron.daysOfWeek).toEqual([1, 5]);
  });

  test.each([
    ['0 0 * * *', true], ['0 0 ? * 1', true], ['0 0 1 * */1', true], ['0 0 */2 * *', true], ['0 0 */2 * 1', false], ['0 0 1 * 1', false],
  ])('%s: day fields unrestricted = %s', (expression, star) => {
    expect(parsed(expression).dayStar).toBe(star);
  });

  test('descriptors expand to their five fields', () => {
    expect(parsed('@hourly').minutes).toEqual([0]);
    expect(parsed('@daily').hours).toEqual([0]);
    expect(parsed('@weekly').daysOfWeek).toEqual([0]);
    expect(parsed('@MONTHLY').daysOfMonth).toEqual([1]);
    expect(parsed('@yearly').months).toEqual([1]);
  });

  test.each([
    ['0 * * *', 'must have 5 fields (minute hour day-of-month month day-of-week), got 4'],
    ['0 0 * * * *', 'must have 5 fields (minute hour day-of-month month day-of-week), got 6'],
    ['@every 1h', 'must have 5 fields (minute hour day-of-month month day-of-week), got 2'],
    ['', 'must have 5 fields (minute hour day-of-month month day-of-week), got 0'],
  ])('refuses %j: %s', (expression, rule) => {
    expect(problem(expression)).toEqual({
      rule,
      fix: 'write e.g. "0 * * * *" (hourly) or "0 2 * * *" (02:00 daily); seconds, years, time zones and @every are not supported',
    });
  });

  test.each([
    ['60 * * * *', 'has minute 60 out of range 0-59', 'use a minute between 0 and 59'],
    ['0 24 * * *', 'has hour 24 out of range 0-23', 'use a hour between 0 and 23'],
    ['0 0 0 * *', 'has day-of-month 0 out of range 1-31', 'use a day-of-month between 1 and 31'],
    ['0 0 * 13 *', 'has month 13 out of range 1-12', 'use a month between 1 and 12'],
    ['0 0 * * 7', 'has day-of-week 7 out of range 0-6', 'use a day-of-week between 0 and 6'],
    ['0 1-30 * * *', 'has hour 30 out of range 0-23', 'use a hour between 0 and 23'],
    ['30-10 * * * *', 'has minute range 30-10 whose start is after its end', 'write the smaller value first, e.g. "10-30"'],
    ['*/0 * * * *', 'has a minute step of 0', 'use a positive step, e.g. "*/15"'],
    ['0 0 30 2 *', 'never fires: no date matches its day-of-month, month and day-of-week', 'check the day-of-month against the month\'s length, e.g. "0 0 30 2 *" names February 30th'],
  ])('refuses %s: %s', (expression, rule, fix) => {
    expect(problem(expression)).toEqual({ rule, fix });
  });

  test.each(['x * * * *', '1-2-3 * * * *', '*/a * * * *', '1/2/3 * * * *', '*-5 * * * *'])('refuses the invalid minute in %s', (expression) => {
    expect(problem(expression).fix).toBe('use a number 0-59, a range "a-b", a list "a,b", "*" or a step "*/n"');
    expect(problem(expression).rule).toMatch(/^has an invalid minute "/);
  });

  test('names hint only where the field has names', () => {
    expect(problem('0 0 * foo *')).toEqual({ rule: 'has an invalid month "foo"', fix: 'use a number 1-12 or a name, a range "a-b", a list "a,b", "*" or a step "*/n"' });
  });
});

describe('longestIntervalMinutes', () => {
  test.each([
    ['* * * * *', 1],
    ['0 * * * *', 60],
    ['*/15 * * * *', 15],
    ['*/7 * * * *', 7],
    ['0 2 * * *', 24 * 60],
    ['0 2,14 * * *', 12 * 60],
    ['0 1,2 * * *', 23 * 60],
    ['0 0 * * 0', 7 * 24 * 60],
    ['0 9-17 * * 1-5', (24 * 2 + 16) * 60], // Friday 17:00 to Monday 09:00
    ['0 0 1 * *', 31 * 24 * 60],
    ['0 0 */2 * *', 2 * 24 * 60], // the 29th to the 1st in a 30-day month, or Feb 27th to Mar 1st
    ['0 0 1 1 *', 366 * 24 * 60],
    ['0 0 29 2 *', 2921 * 24 * 60], // 2096-02-29 to 2104-02-29: 2100 is not a leap year
    ['@hourly', 60],
  ])('%s: %d minutes', (expression, minutes) => {
    expect(longestIntervalMinutes(parsed(expression))).toBe(minutes);
  });

  test('day-of-month and day-of-week both restricted: either matches (the 13th or any Friday)', () => {
    const days = matchingDays(parsed('0 0 13 * 5'));
    const fridaysOnly = matchingDays(parsed('0 0 * * 5'));
    expect(days.length).toBeGreaterThan(fridaysOnly.length);
    expect(longestIntervalMinutes(parsed('0 0 13 * 5'))).toBe(7 * 24 * 60);
  });
});
