// Recording files on disk: a sink that writes lines (gzip when the name ends in .gz, RFC 1952
// via node:zlib, flushed after every record so a killed recorder leaves a readable prefix), and
// a loader that reads one back (gzip detected by its magic bytes), capped in size.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { MAX_RECORDING_CHARS, RecordingError, parseRecording } from '../../../shared/recording';
import type { Recording } from '../../../shared/recording';

/** Where a recorder's lines go. */
export interface RecordingSink {
  /** Appends text (whole lines); never throws: a failure is kept in `error`. */
  write(text: string): void;
  /** Flushes and closes; resolves when everything is on disk (or failed: see `error`). */
  close(): Promise<void>;
  /** Bytes written so far (compressed, for a gzip file). */
  readonly bytes: number;
  /** The first write failure (ENOSPC, EIO…), as a sentence; null while all is well. */
  readonly error: string | null;
}

/** A sink that keeps the text in memory (tests, exports built in memory). */
export interface MemorySink extends RecordingSink {
  text(): string;
}

/** A recording file that cannot be created (open(2) errors, with the path). */
export class RecordingFileError extends Error {
  override readonly name = 'RecordingFileError';
  constructor(
    readonly file: string,
    readonly code: string | null,
    message: string,
  ) {
    super(message);
  }
}

/** True when a file name asks for gzip (RFC 1952). */
export const wantsGzip = (file: string): boolean => file.toLowerCase().endsWith('.gz');

/** A sink collecting the text in memory. */
export function memorySink(): MemorySink {
  const parts: string[] = [];
  let bytes = 0;
  return {
    write(text) {
      parts.push(text);
      bytes += Buffer.byteLength(text);
    },
    close: () => Promise.resolve(),
    get bytes() {
      return bytes;
    },
    error: null,
    text: () => parts.join(''),
  };
}

function openError(file: string, err: unknown): RecordingFileError {
  const e = err as NodeJS.ErrnoException;
  const code = typeof e?.code === 'string' ? e.code : null;
  const dir = path.dirname(path.resolve(file));
  const why =
    code === 'ENOENT' ? `the directory ${dir} does not exist`
    : code === 'EACCES' || code === 'EPERM' ? 'permission denied'
    : code === 'EISDIR' ? 'it is a directory'
    : code === 'ENOTDIR' ? `${dir} is not a directory`
    : code === 'EROFS' ? 'the file system is read-only'
    : e instanceof Error ? e.message : String(err);
  return new RecordingFileError(file, code, `cannot create ${file}: ${why}`);
}

/**
 * Creates (or truncates) a recording file, mode 0600 (it shows this host's processes), and
 * returns its sink; gzip when the name ends in .gz. Throws RecordingFileError when it cannot.
 */
export function openRecordingFile(file: string): RecordingSink {
  let fd: number;
  try {
    fd = fs.openSync(file, 'w', 0o600);
  } catch (err) {
    throw openError(file, err);
  }
  let bytes = 0;
  let error: string | null = null;
  let closed = false;
  const put = (chunk: Buffer | string): void => {
    if (error !== null) return;
    try {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      // write(2) may write less than asked: loop until all of it is written.
      for (let off = 0; off < buf.length; ) {
        const n = fs.writeSync(fd, buf, off, buf.length - off);
        off += n;
        bytes += n;
      }
    } catch (err) {
      error = `writing ${file} failed: ${err instanceof Error ? err.message : String(err)}`;
    }
  };
  const closeFd = (): void => {
    if (closed) return;
    closed = true;
    try {
      fs.closeSync(fd);
    } catch (err) {
      error ??= `closing ${file} failed: ${err instanceof Error ? err.message : String(err)}`;
    }
  };

  if (!wantsGzip(file)) {
    return {
      write: (text) => put(text),
      close: () => {
        closeFd();
        return Promise.resolve();
      },
      get bytes() {
        return bytes;
      },
      get error() {
        return error;
      },
    };
  }

  const gz = zlib.createGzip();
  gz.on('data', (chunk: Buffer) => put(chunk));
  gz.on('error', (err) => {
    error ??= `compressing ${file} failed: ${err.message}`;
  });
  const ended = new Promise<void>((resolve) => {
    gz.once('end', resolve);
    gz.once('error', () => resolve());
  });
  return {
    write(text) {
      if (error !== null || closed) return;
      gz.write(text);
      // Z_SYNC_FLUSH: every record is decompressible on its own, should the recorder be killed.
      gz.flush(zlib.constants.Z_SYNC_FLUSH);
    },
    async close() {
      if (!closed) {
        gz.end();
        await ended;
      }
      closeFd();
    },
    get bytes() {
      return bytes;
    },
    get error() {
      return error;
    },
  };
}

const GZIP_MAGIC = [0x1f, 0x8b];

/**
 * Decodes a recording file's bytes: gunzip when they start with the gzip magic (a truncated
 * stream gives what it holds; parseRecording then marks it truncated), UTF-8 otherwise.
 */
export function decodeRecordingBytes(bytes: Buffer): string | RecordingError {
  if (bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1]) {
    try {
      const text = zlib.gunzipSync(bytes, { finishFlush: zlib.constants.Z_SYNC_FLUSH, maxOutputLength: MAX_RECORDING_CHARS });
      return text.toString('utf8');
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e?.code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
        return new RecordingError('too-large', `recording too large once decompressed (limit ${MAX_RECORDING_CHARS} bytes)`);
      }
      return new RecordingError('corrupt', `the gzip data is corrupt: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return bytes.toString('utf8');
}

/** Reads, decodes and parses a recording file; every failure (missing, unreadable, too large, corrupt) is a RecordingError, its message without the file name (the caller says which file). */
export function loadRecording(file: string): Recording | RecordingError {
  let bytes: Buffer;
  try {
    const st = fs.statSync(file);
    if (st.isDirectory()) return new RecordingError('unreadable', 'it is a directory');
    if (st.size > MAX_RECORDING_CHARS) return new RecordingError('too-large', `too large (${st.size} bytes, limit ${MAX_RECORDING_CHARS})`);
    bytes = fs.readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException)?.code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : err instanceof Error ? err.message : String(err);
    return new RecordingError('unreadable', why);
  }
  const text = decodeRecordingBytes(bytes);
  return text instanceof RecordingError ? text : parseRecording(text);
}
