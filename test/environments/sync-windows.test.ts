import { EnvironmentError, EnvironmentSpec, environmentProblems, production, staging, SyncWindowSpec, syncWindowProblems, validateEnvironment } from '../../environments';

const CLUSTERS = ['prod-use1', 'prod-euw1', 'prod-apse1'];
const freeze: SyncWindowSpec = { kind: 'deny', schedule: '0 0 20 12 *', duration: '336h', applications: ['*'] };
const problemsOf = (changes: Partial<SyncWindowSpec> | Record<string, unknown>): string[] =>
  syncWindowProblems([{ ...freeze, ...changes } as SyncWindowSpec], CLUSTERS);

describe('sync windows in environment data', () => {
  test('production carries the year-end freeze, a deny window over every Application, manual syncs included', () => {
    expect(production.syncWindows).toEqual([expect.objectContaining({ kind: 'deny', schedule: '0 0 20 12 *', duration: '336h', applications: ['*'], manualSync: false })]);
    expect(environmentProblems(production)).toEqual([]);
  });

  test('a freeze with every field valid passes', () => {
    expect(syncWindowProblems([{ ...freeze, clusters: ['prod-euw1', 'prod-*'], namespaces: ['api'], timeZone: 'Europe/Berlin', manualSync: true }], CLUSTERS)).toEqual([]);
  });

  test('a schedule without five fields is refused with the value and the fix', () => {
    expect(problemsOf({ schedule: '0 0 20 12' })).toEqual([
      'syncWindows[0].schedule "0 0 20 12" must have 5 fields (minute hour day-of-month month day-of-week), got 4; write e.g. "0 * * * *" (hourly) or "0 2 * * *" (02:00 daily); seconds, years, time zones and @every are not supported',
    ]);
  });

  test('a schedule with an out-of-range field is refused', () => {
    expect(problemsOf({ schedule: '0 25 * * *' })[0]).toMatch(/^syncWindows\[0\]\.schedule "0 25 \* \* \*" /);
  });

  test('a duration Argo CD cannot read is refused with examples', () => {
    for (const duration of ['2 hours', '2d', '', '0h', 'h']) {
      expect(problemsOf({ duration })).toEqual([
        `syncWindows[0].duration ${JSON.stringify(duration)} is not a duration Argo CD reads; write hours, minutes and seconds above zero, e.g. "2h", "90m" or "1h30m"`,
      ]);
    }
    expect(problemsOf({ duration: '1h30m' })).toEqual([]);
  });

  test('a kind other than allow or deny is refused', () => {
    expect(problemsOf({ kind: 'block' })).toEqual(['syncWindows[0].kind "block" is not a sync window kind; use "deny" to freeze syncs or "allow" to open a slot']);
  });

  test('a window that matches nothing is refused', () => {
    expect(problemsOf({ applications: [] })).toEqual([
      'syncWindows[0] names no applications, namespaces or clusters, so it applies to nothing; add e.g. applications: [\'*\'] for every Application of the environment',
    ]);
  });

  test('a cluster the environment does not have is refused, naming the real ones', () => {
    expect(problemsOf({ clusters: ['prod-usw2'] })).toEqual(['syncWindows[0].clusters[0] "prod-usw2" is not a cluster of this environment; use one of prod-use1, prod-euw1, prod-apse1, or "*"']);
  });

  test('an unknown time zone is refused', () => {
    expect(problemsOf({ timeZone: 'Mars/Olympus' })).toEqual(['syncWindows[0].timeZone "Mars/Olympus" is not an IANA time zone; use e.g. "UTC" or "Europe/Berlin"']);
  });

  test('validateEnvironment reports a broken freeze', () => {
    const env: EnvironmentSpec = { ...staging, syncWindows: [{ ...freeze, duration: '2 weeks' }] };
    expect(() => validateEnvironment(env)).toThrow(EnvironmentError);
    expect(() => validateEnvironment(env)).toThrow('syncWindows[0].duration "2 weeks" is not a duration Argo CD reads');
  });
});
