// The sentence at the top of a container's detail: one process, two pid numbers.
import type { DerivedContainer } from '../../state/derive';

/** "host PID 4211 = PID 1 inside" (proc(5) status NSpid: outermost and innermost), or null when init is unknown. */
export function pidSentence(c: DerivedContainer): string | null {
  if (c.info.pid === null || c.initInsidePid === null) return null;
  return `host PID ${c.info.pid} = PID ${c.initInsidePid} inside`;
}
