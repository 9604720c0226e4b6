// What the renderer is showing: the live host or a recording ('session:get'), and where playback
// stands ('playback' events, 'playback:control' answers). An older server without 'session:get' is live.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { IsolensClient, PlaybackControl, PlaybackState, RecordingInfo } from '../../../shared/contract';

/** The session as the UI needs it. */
export interface SessionView {
  /** 'unknown' until 'session:get' answers. */
  readonly mode: 'unknown' | 'live' | 'recording';
  readonly recording: RecordingInfo | null;
  readonly playback: PlaybackState | null;
  /** When `playback` arrived (performance.now() ms), to advance the position between events. */
  readonly playbackAt: number;
  /** The last failed control's message, until the next success. */
  readonly error: string | null;
}

/** The session and the means to control playback. */
export interface SessionHandle {
  readonly session: SessionView;
  /** Sends 'playback:control'; resolves when answered (the answer becomes the state). */
  control(c: PlaybackControl): Promise<void>;
}

const INITIAL: SessionView = { mode: 'unknown', recording: null, playback: null, playbackAt: 0, error: null };

const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/** Where playback stands at `at` (ms, same clock as playbackAt): the last state advanced by the time since, when playing. */
export function positionAt(p: PlaybackState, receivedAt: number, at: number): number {
  if (!p.playing) return p.positionMs;
  return Math.min(p.durationMs, Math.max(0, p.positionMs + (at - receivedAt) * p.speed));
}

/** Asks 'session:get' once per client and follows 'playback' events. */
export function useSession(client: IsolensClient): SessionHandle {
  const [session, setSession] = useState<SessionView>(INITIAL);
  const alive = useRef(true);

  useEffect(() => {
    alive.current = true;
    setSession(INITIAL);
    const off = client.on('playback', (p) => {
      if (!alive.current) return;
      setSession((s) => ({ ...s, mode: p.mode === 'recording' ? 'recording' : s.mode, playback: p, playbackAt: now() }));
    });
    client.invoke('session:get').then(
      (r) => {
        if (!alive.current) return;
        if (!r.ok || r.value.mode !== 'recording') {
          setSession((s) => (s.mode === 'recording' ? s : { ...s, mode: 'live' }));
          return;
        }
        const v = r.value;
        setSession((s) => ({
          ...s,
          mode: 'recording',
          recording: v.recording ?? null,
          // A 'playback' event may have come first: keep the newer one (a later epoch, or the same epoch further on).
          playback: s.playback && v.playback && s.playback.epoch >= v.playback.epoch ? s.playback : (v.playback ?? s.playback),
          playbackAt: s.playback && v.playback && s.playback.epoch >= v.playback.epoch ? s.playbackAt : now(),
        }));
      },
      () => {
        if (alive.current) setSession((s) => (s.mode === 'recording' ? s : { ...s, mode: 'live' }));
      },
    );
    return () => {
      alive.current = false;
      off();
    };
  }, [client]);

  const control = useCallback(
    async (c: PlaybackControl): Promise<void> => {
      const r = await client.invoke('playback:control', c);
      if (!alive.current) return;
      if (r.ok) setSession((s) => ({ ...s, playback: r.value, playbackAt: now(), error: null }));
      else setSession((s) => ({ ...s, error: r.error.message }));
    },
    [client],
  );

  return { session, control };
}
