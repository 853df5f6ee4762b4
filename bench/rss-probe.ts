/**
 * Preloaded (`node -r dist-lib/bench/rss-probe.js ...`) into the CLI processes the benchmark times: prints the
 * process's peak resident set size to stderr when it exits, for bench/run.ts to read. Costs one tiny module load.
 */
import { RSS_MARKER } from './measure';

process.on('exit', () => {
  process.stderr.write(`\n${RSS_MARKER}${process.resourceUsage().maxRSS}\n`);
});
