// The machine's 1-, 5- and 15-minute load averages, printed beside every figure: other work competing for the cores
// makes frame times meaningless.
import { loadavg } from 'node:os';

/** E.g. "1.52 1.20 0.98"; zeros where the OS keeps none (Windows). */
export function loadAverageText(): string {
  return loadavg().map((load) => load.toFixed(2)).join(' ');
}
