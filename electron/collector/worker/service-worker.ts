// The collector's thread: /proc is read here, never on the Electron main thread or serve's HTTP loop.
import { parentPort, workerData } from 'node:worker_threads';
import { EVENT_CHANNELS } from '../../../shared/contract';
import { answerInvocation } from '../../serve/dispatch';
import { defaultEngines } from '../engines/registry';
import { defaultRelations } from '../relations';
import { CollectorService } from '../service/collector-service';
import type { FromWorker, ToWorker, WorkerOptions } from './protocol';

const port = parentPort;
if (!port) throw new Error('service-worker.ts runs only as a worker thread');
const post = (m: FromWorker): void => port.postMessage(m);
const opts = (workerData ?? {}) as WorkerOptions;

const service = new CollectorService({
  procRoot: opts.procRoot,
  engines: defaultEngines({ procRoot: opts.procRoot }),
  lsns: defaultRelations(),
  intervalMs: opts.intervalMs,
  resyncMs: opts.resyncMs,
  historyMs: opts.historyMs,
  figuresMs: opts.figuresMs,
  log: (line) => post({ kind: 'log', line }),
});
for (const event of EVENT_CHANNELS) service.on(event, (payload) => post({ kind: 'event', event, payload }));

port.on('message', (m: ToWorker) => {
  if (m.kind === 'stop') {
    void service.stop().then(() => {
      post({ kind: 'stopped' });
      port.close();
    });
    return;
  }
  void answerInvocation(service, m.channel, m.args).then((result) => post({ kind: 'result', id: m.id, result }));
});

service.start().then(
  () => post({ kind: 'ready' }),
  (e: unknown) => post({ kind: 'failed', message: e instanceof Error ? e.stack ?? e.message : String(e) }),
);
