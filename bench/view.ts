import type { ViewInterest } from '../shared/contract';
import type { CollectorService } from '../electron/collector/service/collector-service';

/** Rows a viewer has on screen in the bench (a tall window with overscan). */
export const VIEW_ROWS = 200;

/** What a viewer showing the first VIEW_ROWS processes of the tree declares (the contract's view:set). */
export function screenView(service: CollectorService): ViewInterest {
  return { pids: service.current().snapshot.processes.slice(0, VIEW_ROWS).map((p) => p.pid), containerId: null };
}
