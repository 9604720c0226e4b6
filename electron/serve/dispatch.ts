import { toWireError, validateInvocation } from '../../shared/contract';
import type { InvokeChannel, IsolensService, PlaybackControl, Result, ViewInterest } from '../../shared/contract';

/** Calls the service with an invocation validateInvocation has already accepted. */
function call(service: IsolensService, channel: InvokeChannel, args: readonly unknown[]): Promise<unknown> {
  switch (channel) {
    case 'snapshot:get':
      return service.invoke('snapshot:get');
    case 'history:get':
      return service.invoke('history:get', args[0] as string);
    case 'process:get':
      return service.invoke('process:get', args[0] as number);
    case 'session:get':
      return service.invoke('session:get');
    case 'playback:control':
      return service.invoke('playback:control', args[0] as PlaybackControl);
    case 'view:set':
      return service.invoke('view:set', args[0] as string, args[1] as ViewInterest);
    case 'cgroup:get':
      return service.invoke('cgroup:get', args[0] as number);
    case 'image:analyze':
      return service.invoke('image:analyze', args[0] as string);
  }
}

/**
 * Answers one invocation that arrived over a transport (untrusted channel and args): validates
 * it, calls the service, and wraps the outcome in a Result. Never rejects.
 */
export async function answerInvocation(service: IsolensService, channel: unknown, args: unknown): Promise<Result<unknown>> {
  const v = validateInvocation(channel, args);
  if ('code' in v) return { ok: false, error: v };
  try {
    return { ok: true, value: await call(service, v.channel, v.args) };
  } catch (err) {
    return { ok: false, error: toWireError(err) };
  }
}
