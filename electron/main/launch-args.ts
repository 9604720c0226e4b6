/** What the desktop app shows: the live host, or a recording file given as `--recording FILE`. */
export type LaunchSource = { readonly kind: 'live' } | { readonly kind: 'recording'; readonly file: string };

/**
 * Reads the app's own arguments (after Electron's and the main script's): `--recording FILE`
 * or `--recording=FILE` opens a recording instead of the live host. Other arguments are ignored
 * (Chromium switches). Pure.
 */
export function launchSource(argv: readonly string[]): LaunchSource {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--recording' && argv[i + 1] !== undefined) return { kind: 'recording', file: argv[i + 1] as string };
    if (a.startsWith('--recording=') && a.length > '--recording='.length) return { kind: 'recording', file: a.slice('--recording='.length) };
  }
  return { kind: 'live' };
}
