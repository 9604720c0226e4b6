import * as fs from 'node:fs';
import { defaultEngines } from '../collector/engines/registry';
import { defaultRelations } from '../collector/relations';
import { openRecordingFile, RecordingFileError } from '../collector/recording/file';
import type { RecordingSink } from '../collector/recording/file';
import { Recorder } from '../collector/recording/recorder';
import { CollectorService } from '../collector/service/collector-service';
import { REDACT_ALL } from '../../shared/redact';
import { parseArgs } from './args';

/** Longest recording the CLI takes, in seconds (a day). */
const MAX_SECONDS = 86_400;

/** Bytes as people read them ("12.3 kB"). */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB'];
  let v = n / 1000;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v.toFixed(1)} ${units[i] ?? 'GB'}`;
}

/**
 * `isolens record --seconds N -o FILE [--interval MS] [--redact]`: records the live host's stream
 * for N seconds into FILE (gzip when it ends in .gz); Ctrl-C stops early and still closes it cleanly.
 */
export async function recordCommand(argv: readonly string[]): Promise<number> {
  const a = parseArgs(argv.map((x) => (x === '-o' ? '--output' : x)), ['--seconds', '--output', '--interval'], ['--redact']);
  const fail = (msg: string): number => {
    process.stderr.write(`isolens record: ${msg}\n`);
    return 2;
  };
  if (a.unknown.length > 0) return fail(`unknown option ${a.unknown.join(' ')}`);
  const file = a.values.get('--output');
  if (file === undefined || file === '') return fail('-o FILE is required (where to write the recording; .gz compresses it)');
  const secondsText = a.values.get('--seconds');
  if (secondsText === undefined) return fail('--seconds N is required (how long to record)');
  const seconds = Number(secondsText);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > MAX_SECONDS) return fail(`--seconds takes a number of seconds, more than 0 and at most ${MAX_SECONDS}`);
  const intervalMs = Number(a.values.get('--interval') ?? '1000');
  if (!Number.isFinite(intervalMs) || intervalMs < 100) return fail('--interval takes milliseconds, at least 100');
  const redact = a.flags.has('--redact');

  // The file first: a bad path fails before anything is collected.
  let sink: RecordingSink;
  try {
    sink = openRecordingFile(file);
  } catch (e) {
    if (e instanceof RecordingFileError) return fail(e.message);
    throw e;
  }

  const log = (line: string): void => void process.stderr.write(`isolens: ${line}\n`);
  const service = new CollectorService({ engines: defaultEngines(), lsns: defaultRelations(), intervalMs, log });
  const recorder = new Recorder(sink, { intervalMs, redact: redact ? REDACT_ALL : null, log });
  try {
    await service.start();
    await recorder.start(service);
  } catch (e) {
    await service.stop();
    await sink.close();
    fs.rmSync(file, { force: true });
    process.stderr.write(`isolens record: could not start recording: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  process.stderr.write(`isolens record: recording ${seconds} s into ${file}${redact ? ' (redacted)' : ''}; Ctrl-C stops early\n`);

  await new Promise<void>((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    const timer = setTimeout(done, seconds * 1000);
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });

  const summary = await recorder.stop();
  await service.stop();
  const what = [
    formatBytes(summary.bytes), `${summary.deltas} delta${summary.deltas === 1 ? '' : 's'}`,
    `${summary.engineChanges} engine change${summary.engineChanges === 1 ? '' : 's'}`, `${(summary.durationMs / 1000).toFixed(1)} s`,
    ...(summary.redacted ? ['redacted'] : []),
  ].join(', ');
  process.stdout.write(`isolens record: wrote ${file} (${what})\n`);
  if (summary.error) {
    process.stderr.write(`isolens record: ${summary.error}\n`);
    return 1;
  }
  return 0;
}
