// Image layers file by file, dive-style: which paths each layer adds, changes or removes (OCI
// image-spec layer.md: a `.wh.NAME` file deletes NAME from the layers below, `.wh..wh..opq`
// hides the directory's lower contents), and the bytes wasted on files overwritten or removed
// by later layers. The pure part (diffLayers) works on listings; readSaveArchive makes them
// from a `docker save` stream (docker-image-save(1): legacy `<id>/layer.tar` + manifest.json,
// or the OCI layout with `blobs/sha256/<hex>`).
import { once } from 'node:events';
import * as zlib from 'node:zlib';
import type { LayerChange, LayerDiff, WastedFile } from '../../../shared/rootfs';
import { TarError, TarParser, type TarEntry, type TarEntryType } from './tar';

/** One entry of a layer tar, normalised (no leading "./" or "/", no trailing "/"). */
export interface LayerEntry {
  readonly path: string;
  readonly type: TarEntryType;
  readonly size: number;
}

/** The entries of one layer tar. */
export interface LayerListing {
  /** Where it was in the archive (e.g. "abc…/layer.tar", "blobs/sha256/abc…"). */
  readonly source: string;
  readonly entries: readonly LayerEntry[];
  /** True when the listing stopped at a cap or an error. */
  readonly partial: boolean;
}

/** OCI whiteout prefix (image-spec layer.md "Whiteouts"). */
export const WHITEOUT_PREFIX = '.wh.';
/** OCI opaque whiteout: hides everything the lower layers had in its directory. */
export const OPAQUE_WHITEOUT = '.wh..wh..opq';

/** A layer tar path without "./", leading or trailing slashes. */
export function normaliseTarPath(name: string): string {
  return name.replace(/^(\.\/)+/, '').replace(/^\/+/, '').replace(/\/+$/, '').replace(/\/\.\//g, '/');
}

const parentOf = (p: string): string => {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
};
const baseOf = (p: string): string => p.slice(p.lastIndexOf('/') + 1);
const join = (dir: string, name: string): string => (dir === '' ? name : `${dir}/${name}`);

interface Node {
  size: number;
  isDir: boolean;
  layer: number;
}

/** The merged tree while layers are applied: path -> node, with a child index for subtree removal. */
class Tree {
  readonly nodes = new Map<string, Node>();
  private readonly children = new Map<string, Set<string>>();

  set(path: string, node: Node): void {
    this.nodes.set(path, node);
    const parent = parentOf(path);
    let set = this.children.get(parent);
    if (!set) this.children.set(parent, (set = new Set()));
    set.add(path);
  }

  /** Removes a path and its subtree; returns the removed nodes (deepest last). */
  remove(path: string, keepSelf = false): Array<[string, Node]> {
    const out: Array<[string, Node]> = [];
    const walk = (p: string): void => {
      const kids = this.children.get(p);
      if (kids) {
        for (const k of kids) walk(k);
        this.children.delete(p);
      }
      const n = this.nodes.get(p);
      if (n && !(keepSelf && p === path)) {
        out.push([p, n]);
        this.nodes.delete(p);
        this.children.get(parentOf(p))?.delete(p);
      }
    };
    walk(path);
    return out;
  }
}

/** Options of diffLayers: how many changes to keep per layer. */
export interface DiffOptions {
  readonly changesLimit?: number;
  readonly wastedLimit?: number;
}

/** The dive-like figures of an image: per-layer diffs and the bytes the final tree does not use. */
export interface LayerDiffResult {
  readonly layers: LayerDiff[];
  readonly totalBytes: number;
  readonly finalBytes: number;
  readonly wastedBytes: number;
  readonly efficiency: number;
  readonly wasted: WastedFile[];
}

/**
 * Applies layer listings bottom-up (OCI image-spec layer.md: whiteouts and opaque directories
 * act on the layers below; then the layer's own entries are added or replace lower ones) and
 * tells, per layer, what it added, changed and removed; then the totals: bytes stored in all
 * layers, bytes visible at the end, the difference (wasted) and efficiency = final / total.
 */
export function diffLayers(listings: readonly LayerListing[], meta: ReadonlyArray<{ diffId: string | null; createdBy: string | null }> = [], opts: DiffOptions = {}): LayerDiffResult {
  const changesLimit = opts.changesLimit ?? 100;
  const tree = new Tree();
  /** Per path, the bytes stored in each layer that holds it as a regular file. */
  const stored = new Map<string, { bytes: number; layers: number[] }>();
  let totalBytes = 0;
  const layers: LayerDiff[] = [];
  listings.forEach((listing, index) => {
    const changes: LayerChange[] = [];
    let added = 0;
    let changed = 0;
    let removed = 0;
    let bytes = 0;
    const removeAll = (gone: Array<[string, Node]>): void => {
      for (const [p, n] of gone) {
        removed++;
        changes.push({ path: p, kind: 'removed', size: n.isDir ? 0 : n.size });
      }
    };
    // Whiteouts first: they act on the lower layers only, whatever their order in the tar.
    for (const e of listing.entries) {
      const name = baseOf(e.path);
      if (name === OPAQUE_WHITEOUT) removeAll(tree.remove(parentOf(e.path), true).filter(([, n]) => n.layer < index));
      else if (name.startsWith(WHITEOUT_PREFIX)) removeAll(tree.remove(join(parentOf(e.path), name.slice(WHITEOUT_PREFIX.length))));
    }
    for (const e of listing.entries) {
      const name = baseOf(e.path);
      if (e.path === '' || name.startsWith(WHITEOUT_PREFIX)) continue;
      const isDir = e.type === 'dir';
      const size = e.type === 'file' ? e.size : 0;
      const before = tree.nodes.get(e.path);
      if (before && before.isDir && !isDir) removeAll(tree.remove(e.path, true)); // a file replacing a directory hides its subtree
      if (e.type === 'file') {
        bytes += size;
        totalBytes += size;
        const s = stored.get(e.path) ?? { bytes: 0, layers: [] };
        s.bytes += size;
        s.layers.push(index);
        stored.set(e.path, s);
      }
      tree.set(e.path, { size, isDir, layer: index });
      if (before === undefined) {
        added++;
        changes.push({ path: e.path, kind: 'added', size });
      } else if (!(before.isDir && isDir)) {
        changed++;
        changes.push({ path: e.path, kind: 'changed', size });
      }
    }
    changes.sort((a, b) => b.size - a.size || a.path.localeCompare(b.path));
    const m = meta[index];
    layers.push({
      index,
      source: listing.source,
      diffId: m?.diffId ?? null,
      createdBy: m?.createdBy ?? null,
      added,
      changed,
      removed,
      bytes,
      changes: changes.slice(0, changesLimit),
      changesTruncated: changes.length > changesLimit,
    });
  });
  let finalBytes = 0;
  for (const n of tree.nodes.values()) if (!n.isDir) finalBytes += n.size;
  const wasted: WastedFile[] = [];
  for (const [path, s] of stored) {
    const visible = tree.nodes.get(path);
    const w = s.bytes - (visible && !visible.isDir ? visible.size : 0);
    if (w > 0) wasted.push({ path, bytes: w, layers: s.layers });
  }
  wasted.sort((a, b) => b.bytes - a.bytes || a.path.localeCompare(b.path));
  const wastedBytes = totalBytes - finalBytes;
  return {
    layers,
    totalBytes,
    finalBytes,
    wastedBytes,
    efficiency: totalBytes === 0 ? 1 : finalBytes / totalBytes,
    wasted: wasted.slice(0, opts.wastedLimit ?? 50),
  };
}

/** Caps on reading a `docker save` archive. */
export interface SaveArchiveLimits {
  /** Entries listed over all layers (default 2,000,000). */
  readonly maxEntries: number;
  /** JSON members (manifest.json, configs) larger than this are not kept (default 4 MiB). */
  readonly maxJsonBytes: number;
  /** Wall-clock limit; the stream is abandoned after it (default 120 s). */
  readonly timeoutMs: number;
}

/** The default SaveArchiveLimits. */
export const DEFAULT_SAVE_LIMITS: SaveArchiveLimits = { maxEntries: 2_000_000, maxJsonBytes: 4 * 1024 * 1024, timeoutMs: 120_000 };

/** What a `docker save` archive held: layer listings by member path, the JSON members, and problems met. */
export interface SaveArchive {
  readonly layers: ReadonlyMap<string, LayerListing>;
  readonly json: ReadonlyMap<string, unknown>;
  readonly partial: boolean;
  readonly warnings: string[];
}

type Sink =
  | { kind: 'sniff'; parts: Buffer[]; got: number }
  | { kind: 'tar'; parser: TarParser; listing: { source: string; entries: LayerEntry[]; partial: boolean } }
  | { kind: 'gzip'; gunzip: zlib.Gunzip; parser: TarParser; listing: { source: string; entries: LayerEntry[]; partial: boolean }; done: Promise<void> }
  | { kind: 'json'; parts: Buffer[]; got: number }
  | { kind: 'skip' };

const SNIFF_BYTES = 512;

/**
 * Reads a `docker save` tar stream: every member that is itself a tar (a layer, by the ustar
 * magic or an all-zero first block) or gzip-compressed tar is listed with a nested TarParser
 * as it streams by; small JSON members (manifest.json, the image config) are kept. Never holds
 * a layer's contents. Stops at the limits with partial: true. Rejects only if the stream fails
 * before anything could be read.
 */
export async function readSaveArchive(stream: AsyncIterable<Buffer | string>, limits: SaveArchiveLimits = DEFAULT_SAVE_LIMITS, abort?: () => void): Promise<SaveArchive> {
  const layers = new Map<string, LayerListing>();
  const json = new Map<string, unknown>();
  const warnings: string[] = [];
  let partial = false;
  let listed = 0;
  const gzipDone: Array<Promise<void>> = [];
  let sink: Sink = { kind: 'skip' };
  let stop = false;

  const newListing = (source: string): { source: string; entries: LayerEntry[]; partial: boolean } => {
    const l = { source, entries: [] as LayerEntry[], partial: false };
    layers.set(source, l);
    return l;
  };
  const innerParser = (listing: { entries: LayerEntry[]; partial: boolean; source: string }): TarParser =>
    new TarParser({
      entry: (e: TarEntry) => {
        if (++listed > limits.maxEntries) {
          if (!listing.partial) warnings.push(`${listing.source}: stopped after ${limits.maxEntries} entries in all`);
          listing.partial = true;
          partial = true;
          return;
        }
        listing.entries.push({ path: normaliseTarPath(e.name), type: e.type, size: e.size });
      },
    });
  const feedInner = (s: Extract<Sink, { kind: 'tar' }>, chunk: Buffer): void => {
    if (s.listing.partial) return;
    try {
      s.parser.write(chunk);
    } catch (e) {
      s.listing.partial = true;
      partial = true;
      warnings.push(`${s.listing.source}: ${e instanceof TarError ? e.message : String(e)}`);
    }
  };
  /** Decides what a member is from its first bytes, then replays them into the chosen sink. */
  const decide = (entry: TarEntry, head: Buffer): void => {
    const isJson = head.length > 0 && (head[0] === 0x7b || head[0] === 0x5b) && entry.size <= limits.maxJsonBytes;
    const ustar = head.length >= 263 && head.toString('latin1', 257, 262) === 'ustar';
    const zeroTar = head.length >= 512 && head.subarray(0, 512).every((b) => b === 0);
    const name = normaliseTarPath(entry.name);
    if (ustar || zeroTar) {
      const listing = newListing(name);
      sink = { kind: 'tar', parser: innerParser(listing), listing };
      feedInner(sink, head);
    } else if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
      const listing = newListing(name);
      const parser = innerParser(listing);
      const gunzip = zlib.createGunzip();
      gunzip.on('data', (c: Buffer) => feedInner({ kind: 'tar', parser, listing }, c));
      const done = new Promise<void>((resolve) => {
        gunzip.on('end', () => resolve());
        gunzip.on('error', (e) => {
          listing.partial = true;
          partial = true;
          warnings.push(`${name}: gzip: ${e.message}`);
          resolve();
        });
      });
      gzipDone.push(done);
      sink = { kind: 'gzip', gunzip, parser, listing, done };
      gunzip.write(head);
    } else if (head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) {
      warnings.push(`${name}: zstd-compressed layer not analysed`);
      partial = true;
      sink = { kind: 'skip' };
    } else if (isJson) {
      sink = { kind: 'json', parts: [head], got: head.length };
    } else {
      sink = { kind: 'skip' };
    }
  };
  const outer = new TarParser({
    entry: (e) => {
      sink = e.type === 'file' && e.size > 0 ? { kind: 'sniff', parts: [], got: 0 } : { kind: 'skip' };
    },
    data: (e, chunk) => {
      const s = sink;
      if (s.kind === 'sniff') {
        s.parts.push(Buffer.from(chunk));
        s.got += chunk.length;
        if (s.got >= SNIFF_BYTES || s.got >= e.size) decide(e, Buffer.concat(s.parts));
      } else if (s.kind === 'tar') feedInner(s, chunk);
      else if (s.kind === 'gzip') s.gunzip.write(chunk);
      else if (s.kind === 'json') {
        s.parts.push(Buffer.from(chunk));
        s.got += chunk.length;
      }
    },
    end: (e) => {
      const s = sink;
      if (s.kind === 'sniff') decide(e, Buffer.concat(s.parts));
      const t = sink;
      if (t.kind === 'tar') {
        try {
          t.parser.end();
        } catch (err) {
          t.listing.partial = true;
          partial = true;
          warnings.push(`${t.listing.source}: ${(err as Error).message}`);
        }
      } else if (t.kind === 'gzip') t.gunzip.end();
      else if (t.kind === 'json') {
        try {
          json.set(normaliseTarPath(e.name), JSON.parse(Buffer.concat(t.parts).toString('utf8')));
        } catch {
          // not JSON after all: ignored
        }
      }
      sink = { kind: 'skip' };
    },
  });
  const timer = setTimeout(() => {
    stop = true;
    partial = true;
    warnings.push(`stopped after ${limits.timeoutMs} ms`);
    abort?.();
  }, limits.timeoutMs);
  try {
    for await (const chunk of stream) {
      if (stop) break;
      try {
        outer.write(typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk);
      } catch (e) {
        partial = true;
        warnings.push(`archive: ${e instanceof TarError ? e.message : String(e)}`);
        abort?.();
        break;
      }
      const s = sink as Sink;
      if (s.kind === 'gzip' && s.gunzip.writableNeedDrain) await once(s.gunzip, 'drain');
      if (outer.finished) break;
    }
  } catch (e) {
    partial = true;
    warnings.push(`archive stream failed: ${(e as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
  const last = sink as Sink;
  if (last.kind === 'gzip') last.gunzip.end();
  await Promise.all(gzipDone);
  return { layers, json, partial, warnings };
}

const rec = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** The archive's manifest.json entry for an image: its config member and layer members, bottom first. */
export interface SaveManifest {
  readonly config: string | null;
  readonly layers: readonly string[];
}

/** Picks the manifest.json entry whose Config names the image id (else the only one). */
export function manifestFor(archive: SaveArchive, imageId: string): SaveManifest | null {
  const list = archive.json.get('manifest.json');
  if (!Array.isArray(list)) return null;
  const hex = imageId.replace(/^sha256:/, '');
  const entries = list.map(rec);
  const chosen = entries.find((m) => typeof m.Config === 'string' && m.Config.includes(hex)) ?? (entries.length === 1 ? entries[0] : undefined);
  if (!chosen) return null;
  return { config: typeof chosen.Config === 'string' ? chosen.Config : null, layers: strs(chosen.Layers) };
}

/** The instruction of each non-empty history step of an image config (image-spec config.md `history[].empty_layer`), bottom first. */
export function layerInstructions(config: unknown): Array<string | null> {
  const history = rec(config).history;
  if (!Array.isArray(history)) return [];
  return history.map(rec).filter((h) => h.empty_layer !== true).map((h) => (typeof h.created_by === 'string' ? h.created_by : null));
}

/** The image config's rootfs.diff_ids (image-spec config.md), bottom first. */
export function configDiffIds(config: unknown): string[] {
  return strs(rec(rec(config).rootfs).diff_ids);
}
