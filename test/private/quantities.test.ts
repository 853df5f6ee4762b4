import { Duration } from 'cdk8s';
import { goDuration } from '../../lib/private/quantities';

describe('goDuration', () => {
  test.each([
    [Duration.hours(168), '168h0m0s'],
    [Duration.days(30), '720h0m0s'],
    [Duration.minutes(90), '1h30m0s'],
    [Duration.minutes(5), '5m0s'],
    [Duration.seconds(45), '45s'],
    [Duration.millis(500), '500ms'],
    [Duration.millis(1500), '1.5s'],
  ])('%s is written %s', (d, expected) => {
    expect(goDuration(d)).toBe(expected);
  });
});
