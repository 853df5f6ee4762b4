import { Duration } from 'cdk8s';

/**
 * A duration in Go's `time.Duration` string form, as Velero and many controllers write it: `168h0m0s`, `1h30m0s`,
 * `45s`, `500ms`.
 */
export function goDuration(d: Duration): string {
  const totalMs = d.toMilliseconds();
  if (totalMs < 1000) return `${totalMs}ms`;
  const totalSeconds = Math.floor(totalMs / 1000);
  const ms = totalMs % 1000;
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const secondsPart = ms === 0 ? `${seconds}s` : `${seconds}.${String(ms).padStart(3, '0').replace(/0+$/, '')}s`;
  if (hours > 0) return `${hours}h${minutes}m${secondsPart}`;
  if (minutes > 0) return `${minutes}m${secondsPart}`;
  return secondsPart;
}
