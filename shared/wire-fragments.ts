// A big server message (a full snapshot: ~5.7 MB of JSON at 10,000 processes) travels as several
// WebSocket text messages of at most MAX_FRAGMENT_CHARS each, joined again by the client.
// Why: Chromium takes one big message in a single main-thread task and then stalls the page's
// main thread for ~100-170 ms after delivering it (measured: a 5.7 MB message, then a
// setTimeout(0) waiting 110-180 ms); as 64 KiB messages the same text arrives as fast and the
// page stays free between them (bench/render.ts: "snapshot message → first tree rows painted").
// RFC 6455 fragmentation (continuation frames) would not help: the browser joins those into one
// message before the page sees it.
import type { WireError } from './contract';

/** Largest fragment, in UTF-16 code units of its text (RFC 6455 text frame). */
export const MAX_FRAGMENT_CHARS = 64 * 1024;

/**
 * Marks a fragment: `#<index>/<count>\n<text>`. A whole server message is JSON and starts with
 * `{`, so a message starting with `#` is a fragment.
 */
const FRAGMENT_MARK = '#';
const HEADER = /^#(\d{1,9})\/(\d{1,9})\n/;

/** A high surrogate (UTF-16): a cut after one would split a character in two. */
function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * Splits one server message text into the messages to send, in order: the text itself when it
 * fits in `max` code units, else fragments of at most `max` code units of it each (never cutting
 * a surrogate pair, which UTF-8 could not carry in halves).
 */
export function fragmentServerMessage(text: string, max: number = MAX_FRAGMENT_CHARS): string[] {
  if (text.length <= max) return [text];
  const step = Math.max(2, max);
  const slices: string[] = [];
  for (let at = 0; at < text.length; ) {
    let end = Math.min(text.length, at + step);
    if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end--;
    slices.push(text.slice(at, end));
    at = end;
  }
  return slices.map((s, i) => `${FRAGMENT_MARK}${i}/${slices.length}\n${s}`);
}

/** Joins fragments back into server messages; one per connection (fragments of one message arrive in a row). */
export interface FragmentJoiner {
  /**
   * Takes one received text: a whole message comes back as it is; a fragment is kept and null
   * returned until its last one, which returns the joined text. A fragment out of order (or a
   * whole message in the middle of a fragmented one) is a BAD_REQUEST error, and what was kept is
   * dropped, so the next message starts afresh.
   */
  push(text: string): string | null | WireError;
  /** Drops a half-received message (the connection was lost). */
  reset(): void;
}

/** A FragmentJoiner for one connection. */
export function createFragmentJoiner(): FragmentJoiner {
  let parts: string[] = [];
  let count = 0;
  const fail = (message: string): WireError => {
    parts = [];
    count = 0;
    return { code: 'BAD_REQUEST', message };
  };
  return {
    push(text: string): string | null | WireError {
      if (!text.startsWith(FRAGMENT_MARK)) {
        if (count > 0) return fail(`a message arrived in the middle of a fragmented one (${parts.length} of ${count} fragments received)`);
        return text;
      }
      const m = HEADER.exec(text);
      if (!m) return fail('malformed fragment header');
      const index = Number(m[1]);
      const of = Number(m[2]);
      if (of < 2 || index !== parts.length || (count > 0 && of !== count)) {
        return fail(`fragment ${index}/${of} out of order (expected ${parts.length}/${count || of})`);
      }
      count = of;
      parts.push(text.slice(m[0].length));
      if (parts.length < count) return null;
      const whole = parts.join('');
      parts = [];
      count = 0;
      return whole;
    },
    reset(): void {
      parts = [];
      count = 0;
    },
  };
}
