import * as v8 from 'node:v8';

/**
 * The collector isolate's young generation in MB (a worker's resourceLimits.maxYoungGenerationSizeMb;
 * V8 sizes it as three semi-spaces): 8 MB semi-spaces instead of 16, 16 MB less resident. What the
 * collector keeps lives in the cache; a tick's garbage dies young at either size.
 */
export const COLLECTOR_YOUNG_GENERATION_MB = 24;

/** The semi-space that young generation gives: `node --max-semi-space-size` for a collector on a main thread (the bench's probe). */
export const COLLECTOR_SEMI_SPACE_MB = COLLECTOR_YOUNG_GENERATION_MB / 3;

let done = false;

/**
 * Turns off V8's allocation-site pretenuring, process-wide, once. The live service's first full
 * pass keeps every record it builds, which teaches V8 that the parsers' allocation sites make
 * long-lived objects; from then on each full pass (every 30 s) builds its records straight into
 * old space, although it keeps almost none of them (the cache hands back the records it had):
 * 10-12 MB of old-space garbage a pass at 10,000 processes, resident until the next major GC.
 * Without pretenuring they die young (~2 MB a pass survives: what really changed). Only the
 * cost of copying the first pass's records out of the young generation is added.
 */
export function keepShortLivedObjectsYoung(): void {
  if (done) return;
  done = true;
  v8.setFlagsFromString('--no-allocation-site-pretenuring');
}
