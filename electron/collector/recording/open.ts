// `serve --recording FILE`: from a path to a ready RecordingService. Reads the file only: no
// /proc, no engine client is touched on this path.
import * as path from 'node:path';
import { PLAYBACK_SPEED_RANGE } from '../../../shared/contract';
import { RecordingError } from '../../../shared/recording';
import type { Recording } from '../../../shared/recording';
import { loadRecording } from './file';
import { RecordingService } from './player-service';

/** How to play a recording file. */
export interface OpenPlaybackOptions {
  readonly speed?: number;
  /** Wait paused at 0 instead of playing when the first viewer connects. */
  readonly paused?: boolean;
}

/** A recording file loaded and wrapped in a RecordingService (not started), or why not. */
export function openPlayback(file: string, opts: OpenPlaybackOptions = {}): { service: RecordingService; recording: Recording } | RecordingError {
  const speed = opts.speed ?? 1;
  if (!Number.isFinite(speed) || speed < PLAYBACK_SPEED_RANGE.min || speed > PLAYBACK_SPEED_RANGE.max) {
    return new RecordingError('unreadable', `speed ${speed} is outside ${PLAYBACK_SPEED_RANGE.min}..${PLAYBACK_SPEED_RANGE.max}`);
  }
  const recording = loadRecording(file);
  if (recording instanceof RecordingError) return recording;
  const service = new RecordingService(recording, { source: path.basename(file), autoplay: opts.paused ? false : 'first-viewer', speed });
  return { service, recording };
}

/** One line saying what a recording holds ("recorded on web-1 (6.18.0) at …, 30.0 s, 29 deltas, redacted"). */
export function describeRecording(r: Recording): string {
  const parts = [
    `recorded on ${r.header.host.hostname} (${r.header.host.kernel}) at ${r.header.recordedAt}`,
    `${(r.durationMs / 1000).toFixed(1)} s`,
    `${r.deltaCount} delta${r.deltaCount === 1 ? '' : 's'}`,
    ...(r.header.redacted ? ['redacted'] : []),
    ...(r.truncated ? ['truncated'] : []),
  ];
  return parts.join(', ');
}
