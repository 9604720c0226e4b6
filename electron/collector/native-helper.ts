import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Where `npm run build` (scripts/build-native.js) put a C helper such as isolens-nsinfo:
 * dist/native/NAME of the repository. Looked for upwards from `from` (this module's directory by
 * default), so it is found from the sources (tsx), from dist/ and from a bundle (the bench's
 * probe); null when it is not built or not executable.
 */
export function findNativeHelper(name: string, from: string = __dirname): string | null {
  let dir = from;
  for (let up = 0; up < 6; up++) {
    for (const c of [path.join(dir, 'dist', 'native', name), path.join(dir, 'native', name)]) {
      try {
        fs.accessSync(c, fs.constants.X_OK);
        if (fs.statSync(c).isFile()) return c;
      } catch {
        // not here
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return null;
}
