import { ProcReadError } from './errors';
import type { ProcessRecord } from './process';

/** A ProcReadError as it crosses a thread (structured clone keeps no class and no own fields of an Error). */
export interface PlainReadError {
  readonly message: string;
  readonly pid: number | null;
  readonly file: string;
  readonly code: string;
}

/** Main thread → table worker: read these pids. */
export interface TableRequest {
  readonly id: number;
  readonly procRoot: string;
  readonly pids: readonly number[];
}

/** Table worker → main thread: the records read (errors made plain) and the processes lost. */
export interface TableReply {
  readonly id: number;
  readonly records: readonly (Omit<ProcessRecord, 'errors'> & { readonly errors: readonly PlainReadError[] })[];
  readonly lost: readonly PlainReadError[];
}

/** A ProcReadError as plain data. */
export const toPlainError = (e: ProcReadError): PlainReadError => ({ message: e.message, pid: e.pid, file: e.file, code: e.code });

/** The ProcReadError again, on the receiving side. */
export const fromPlainError = (e: PlainReadError): ProcReadError => new ProcReadError(e.message, { pid: e.pid, file: e.file, code: e.code });
