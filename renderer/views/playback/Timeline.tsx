// The recording's timeline: play/pause, the position over the duration, a scrubber (drag it or
// use the keyboard), the speed, and the wall-clock time of the moment shown. Recording mode only.
import { useEffect, useRef, useState } from 'react';
import type { KeyboardEvent, ReactNode } from 'react';
import type { PlaybackControl, PlaybackState, RecordingInfo } from '../../../shared/contract';
import { formatClock } from '../../state/format';
import { positionAt } from './use-session';

/** The speeds offered (× real time). */
export const SPEEDS: readonly number[] = [0.5, 1, 2, 4, 8];
/** A seek is sent once the scrubber has rested this long (ms); dragging sends one at most this often. */
export const SEEK_DEBOUNCE_MS = 150;

/** ms as m:ss (or h:mm:ss), e.g. 75 300 → "1:15". */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Where a key moves the scrubber from `pos` (→ ← one second, PageUp/PageDown ten, Home/End the ends), or null. */
export function scrubKey(key: string, pos: number, duration: number): number | null {
  const clamp = (v: number): number => Math.min(duration, Math.max(0, v));
  switch (key) {
    case 'ArrowRight':
    case 'ArrowUp':
      return clamp(pos + 1000);
    case 'ArrowLeft':
    case 'ArrowDown':
      return clamp(pos - 1000);
    case 'PageUp':
      return clamp(pos + 10_000);
    case 'PageDown':
      return clamp(pos - 10_000);
    case 'Home':
      return 0;
    case 'End':
      return duration;
    default:
      return null;
  }
}

/** Re-renders every `ms` while `on` (to move the position between 'playback' events). */
function useTicker(on: boolean, ms: number): void {
  const [, setN] = useState(0);
  useEffect(() => {
    if (!on) return undefined;
    const t = setInterval(() => setN((n) => n + 1), ms);
    return () => clearInterval(t);
  }, [on, ms]);
}

/** Props of Timeline. */
export interface TimelineProps {
  readonly recording: RecordingInfo | null;
  readonly playback: PlaybackState;
  /** performance.now() when `playback` arrived. */
  readonly playbackAt: number;
  readonly onControl: (c: PlaybackControl) => void;
  readonly error?: string | null;
  /** The clock (tests). */
  readonly now?: () => number;
}

/** The timeline bar (data-testid timeline; timeline-play, timeline-seek, timeline-position, timeline-clock, timeline-speed). */
export function Timeline({ recording, playback, playbackAt, onControl, error, now = () => performance.now() }: TimelineProps): ReactNode {
  useTicker(playback.playing, 250);
  const [drag, setDrag] = useState<number | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const pending = useRef<number | null>(null);

  useEffect(
    () => () => {
      if (timer.current !== null) clearTimeout(timer.current);
    },
    [],
  );
  // The server's answer (a new epoch or position) replaces the value being dragged once nothing is pending.
  useEffect(() => {
    if (pending.current === null) setDrag(null);
  }, [playback.epoch, playback.positionMs]);

  const duration = playback.durationMs;
  const pos = drag ?? positionAt(playback, playbackAt, now());

  const flush = (): void => {
    timer.current = null;
    const v = pending.current;
    pending.current = null;
    if (v !== null) onControl({ action: 'seek', value: Math.round(v) });
  };
  /** Shows `v` at once; sends a seek at most every SEEK_DEBOUNCE_MS while the scrubber moves, the last value always (now when `immediate`). */
  const seek = (v: number, immediate = false): void => {
    setDrag(v);
    pending.current = v;
    if (immediate) {
      if (timer.current !== null) clearTimeout(timer.current);
      flush();
    } else if (timer.current === null) {
      timer.current = setTimeout(flush, SEEK_DEBOUNCE_MS);
    }
  };

  const onKey = (e: KeyboardEvent<HTMLInputElement>): void => {
    const to = scrubKey(e.key, pos, duration);
    if (to === null) return;
    e.preventDefault();
    seek(to);
  };

  const speeds = SPEEDS.includes(playback.speed) ? SPEEDS : [...SPEEDS, playback.speed].sort((a, b) => a - b);
  const wall = Date.parse(playback.startedAt);
  const label = `${formatDuration(pos)} of ${formatDuration(duration)}`;
  return (
    <div className="timeline" role="region" aria-label="Recording playback" data-testid="timeline" data-position={Math.round(pos)} data-epoch={playback.epoch}>
      <button
        type="button"
        className="timeline-play"
        data-testid="timeline-play"
        aria-label={playback.playing ? 'Pause' : playback.ended ? 'Play again from the start' : 'Play'}
        onClick={() => onControl({ action: playback.playing ? 'pause' : 'play' })}
      >
        <span aria-hidden="true">{playback.playing ? '❚❚' : '▶'}</span> {playback.playing ? 'Pause' : 'Play'}
      </button>
      <input
        type="range"
        className="timeline-seek"
        data-testid="timeline-seek"
        min={0}
        max={Math.max(1, duration)}
        step={100}
        value={Math.round(pos)}
        aria-label="Position in the recording"
        aria-valuetext={label}
        onChange={(e) => seek(Number(e.currentTarget.value))}
        onKeyDown={onKey}
        onPointerUp={() => {
          if (pending.current !== null) seek(pending.current, true);
        }}
      />
      <span className="timeline-position" data-testid="timeline-position">
        {formatDuration(pos)} / {formatDuration(duration)}
      </span>
      <span className="timeline-clock" data-testid="timeline-clock" title="Time on the recorded host at this point">
        {Number.isNaN(wall) ? '' : formatClock(wall + pos)}
      </span>
      <label className="timeline-speed">
        Speed{' '}
        <select data-testid="timeline-speed" value={String(playback.speed)} onChange={(e) => onControl({ action: 'speed', value: Number(e.currentTarget.value) })}>
          {speeds.map((s) => (
            <option key={s} value={String(s)}>
              {s}×
            </option>
          ))}
        </select>
      </label>
      {playback.ended && <span className="timeline-ended">end of the recording</span>}
      {recording?.truncated && <span className="timeline-note">the file ends early: played up to its last complete line</span>}
      {error && (
        <span className="bad timeline-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
