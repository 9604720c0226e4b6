// Docker images: their layers from ImageInspect + ImageHistory (cheap, cached by image id), and
// on demand a dive-like analysis of the layers from the `docker save` archive
// (GET /images/{name}/get), parsed as it streams.
import type { ImageInfo, ImageLayer, LayerAnalysis } from '../../../shared/rootfs';
import { configDiffIds, DEFAULT_SAVE_LIMITS, diffLayers, layerInstructions, manifestFor, readSaveArchive, type SaveArchiveLimits } from '../rootfs/layers';
import type { EngineContainer } from './types';

/** The part of dockerode's Image that is used here (Engine API ImageInspect, ImageHistory, ImageGet). */
export interface ImageHandle {
  inspect(): Promise<unknown>;
  history(): Promise<unknown>;
  get(): Promise<NodeJS.ReadableStream>;
}

/** The part of a dockerode client that is used here; a `Docker` instance is one. */
export interface ImageApi {
  getImage(id: string): ImageHandle;
}

/** Malformed Docker Engine API ImageInspect / ImageHistory JSON. */
export class DockerImageError extends Error {
  override readonly name = 'DockerImageError';
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
const rec = (v: unknown): Record<string, unknown> => (isRecord(v) ? v : {});
const strOrNull = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const strList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0);

/** The legacy builder's prefixes: "/bin/sh -c #(nop) " for metadata and COPY/ADD steps, "/bin/sh -c " for RUN. */
const NOP = /^\/bin\/sh -c #\(nop\)\s*/;
const RUN = /^\/bin\/sh -c\s+/;

/** A history row's instruction as written in a Dockerfile: "/bin/sh -c #(nop)  CMD [..]" -> "CMD [..]", "/bin/sh -c apt-get…" -> "RUN apt-get…". */
export function cleanCreatedBy(createdBy: string): string {
  const s = createdBy.trim();
  if (NOP.test(s)) return s.replace(NOP, '').trim();
  if (RUN.test(s)) return `RUN ${s.replace(RUN, '').trim()}`;
  return s;
}

/** The "<none>:<none>" and "<none>@<none>" placeholders are no tags. */
const realTags = (tags: string[]): string[] => tags.filter((t) => !t.startsWith('<none>'));

/** RFC 3339 from ImageHistory's Created (seconds since the epoch). */
const fromEpoch = (v: unknown): string | null => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? new Date(v * 1000).toISOString() : null);

/** Image label naming the base image (OCI image-spec annotations.md). */
export const BASE_NAME_LABEL = 'org.opencontainers.image.base.name';

/**
 * Maps Engine API ImageInspect + ImageHistory JSON to ImageInfo: history rows oldest first,
 * instructions cleaned, diff ids matched to the rows that made layers when the count agrees,
 * the base image from the OCI base-name label or the newest older row that carries a tag.
 */
export function mapImage(inspect: unknown, history: unknown): ImageInfo {
  if (!isRecord(inspect) || typeof inspect.Id !== 'string' || inspect.Id === '') throw new DockerImageError('image inspect JSON has no Id');
  if (!Array.isArray(history)) throw new DockerImageError('image history is not an array');
  const diffIds = strList(rec(inspect.RootFS).Layers);
  const rows = history.map(rec).reverse();
  const sizes = rows.map((r) => num(r.Size));
  const createdBys = rows.map((r) => cleanCreatedBy(typeof r.CreatedBy === 'string' ? r.CreatedBy : ''));
  // Which rows made a filesystem layer: ImageHistory does not say (the config's empty_layer does).
  // Rows with bytes do; when that count is not the layer count, RUN/COPY/ADD rows are added.
  let made = sizes.map((s) => s > 0);
  if (made.filter(Boolean).length !== diffIds.length) {
    made = rows.map((_, i) => (sizes[i] ?? 0) > 0 || /^(RUN|COPY|ADD)\b/.test(createdBys[i] ?? '') || createdBys[i] === '');
  }
  const matched = made.filter(Boolean).length === diffIds.length;
  let layerIndex = 0;
  const layers: ImageLayer[] = rows.map((r, i) => {
    const id = strOrNull(r.Id);
    const comment = strOrNull(r.Comment);
    return {
      id: id === null || id === '<missing>' ? null : id,
      size: sizes[i] ?? 0,
      createdBy: createdBys[i] ?? '',
      created: fromEpoch(r.Created),
      comment,
      tags: realTags(strList(r.Tags)),
      diffId: matched && made[i] ? (diffIds[layerIndex++] ?? null) : null,
    };
  });
  const labels = rec(rec(inspect.Config).Labels);
  const own = inspect.Id;
  const tags = realTags(strList(inspect.RepoTags));
  let base = strOrNull(labels[BASE_NAME_LABEL]);
  if (base === null) {
    for (let i = layers.length - 1; i >= 0; i--) {
      const l = layers[i] as ImageLayer;
      if (l.id === own || l.tags.length === 0) continue;
      if (l.tags.some((t) => tags.includes(t))) continue;
      base = l.tags[0] ?? null;
      break;
    }
  }
  const size = typeof inspect.Size === 'number' && inspect.Size >= 0 ? inspect.Size : sizes.reduce((a, b) => a + b, 0);
  return {
    id: own,
    name: tags[0] ?? own,
    tags,
    layers,
    layerCount: diffIds.length,
    totalBytes: size,
    base,
    created: strOrNull(inspect.Created),
    os: strOrNull(inspect.Os),
    architecture: strOrNull(inspect.Architecture),
  };
}

/** Reads an image's layers (Engine API GET /images/{id}/json and /images/{id}/history); rejects on API errors. */
export async function readImageInfo(docker: ImageApi, imageId: string): Promise<ImageInfo> {
  const img = docker.getImage(imageId);
  const [inspect, history] = await Promise.all([img.inspect(), img.history()]);
  return mapImage(inspect, history);
}

/**
 * readImageInfo results by image id (content-addressed, so never stale; at most `max` kept,
 * least recently used dropped). Concurrent asks for one id share one request; failures are
 * not cached and give null.
 */
export class ImageInfoCache {
  private readonly done = new Map<string, ImageInfo>();
  private readonly inflight = new Map<string, Promise<ImageInfo | null>>();
  /** The last failure per image id (cleared by a success). */
  readonly errors = new Map<string, string>();

  constructor(private readonly max = 64) {}

  /** The image's layers, from the cache or the engine; null when the engine could not tell. */
  get(docker: ImageApi, imageId: string): Promise<ImageInfo | null> {
    const hit = this.done.get(imageId);
    if (hit) {
      this.done.delete(imageId);
      this.done.set(imageId, hit);
      return Promise.resolve(hit);
    }
    const running = this.inflight.get(imageId);
    if (running) return running;
    const p = readImageInfo(docker, imageId).then(
      (info) => {
        this.errors.delete(imageId);
        this.done.set(imageId, info);
        while (this.done.size > this.max) {
          const oldest = this.done.keys().next().value;
          if (oldest === undefined) break;
          this.done.delete(oldest);
        }
        return info;
      },
      (e: unknown) => {
        this.errors.set(imageId, e instanceof Error ? e.message : String(e));
        return null;
      },
    ).finally(() => this.inflight.delete(imageId));
    this.inflight.set(imageId, p);
    return p;
  }

  /** The cached value without asking the engine. */
  peek(imageId: string): ImageInfo | null {
    return this.done.get(imageId) ?? null;
  }
}

/**
 * The ImageInfo of each Docker container's image, by container id (for withRootfs), asked of the
 * cache (one request per image id, in parallel). Containers of other engines, or without an
 * image id, or whose image the engine cannot describe, are left out. Never rejects.
 */
export async function imageInfosFor(containers: readonly EngineContainer[], docker: ImageApi, cache: ImageInfoCache): Promise<Map<string, ImageInfo>> {
  const wanted = containers.filter((c) => c.engine === 'docker' && c.imageId !== null);
  const infos = await Promise.all(wanted.map((c) => cache.get(docker, c.imageId as string)));
  const out = new Map<string, ImageInfo>();
  wanted.forEach((c, i) => {
    const info = infos[i];
    if (info) out.set(c.id, info);
  });
  return out;
}

/** Options of analyzeImageLayers. */
export interface AnalyzeOptions {
  readonly limits?: Partial<SaveArchiveLimits>;
  /** Changes kept per layer (default 100). */
  readonly changesLimit?: number;
}

/** Destroys a stream if it has destroy() (an abandoned `docker save` must not keep streaming). */
function destroy(stream: NodeJS.ReadableStream): void {
  const d = (stream as { destroy?: () => void }).destroy;
  if (typeof d === 'function') d.call(stream);
}

/**
 * A dive-like view of an image's layers, on demand (it streams the whole image: seconds for
 * hundreds of MB): from `docker save` (GET /images/{id}/get) each layer tar is listed as it
 * streams by; whiteouts give removals; the totals give wasted bytes and efficiency. Rejects
 * when the engine cannot inspect or export the image; a damaged archive gives partial: true.
 */
export async function analyzeImageLayers(docker: ImageApi, imageId: string, opts: AnalyzeOptions = {}): Promise<LayerAnalysis> {
  const img = docker.getImage(imageId);
  const [inspect, history] = await Promise.all([img.inspect(), img.history()]);
  const info = mapImage(inspect, history);
  const stream = await img.get();
  const limits = { ...DEFAULT_SAVE_LIMITS, ...opts.limits };
  const archive = await readSaveArchive(stream as AsyncIterable<Buffer | string>, limits, () => destroy(stream));
  destroy(stream);
  const warnings = [...archive.warnings];
  const manifest = manifestFor(archive, info.id);
  let sources: string[];
  let config: unknown = null;
  if (manifest) {
    sources = [...manifest.layers];
    config = manifest.config !== null ? (archive.json.get(manifest.config) ?? null) : null;
  } else {
    warnings.push('no manifest.json entry for the image: layers taken in archive order');
    sources = [...archive.layers.keys()];
  }
  const listings = sources.map((s) => {
    const l = archive.layers.get(s);
    if (!l) warnings.push(`layer ${s} named by manifest.json was not found in the archive`);
    return l ?? { source: s, entries: [], partial: true };
  });
  const instructions = layerInstructions(config).map((c) => (c === null ? null : cleanCreatedBy(c)));
  const fromHistory = info.layers.filter((l) => l.diffId !== null).map((l) => l.createdBy);
  const diffIds = configDiffIds(config);
  const meta = listings.map((_, i) => ({
    diffId: diffIds[i] ?? info.layers.filter((l) => l.diffId !== null)[i]?.diffId ?? null,
    createdBy: instructions.length === listings.length ? (instructions[i] ?? null) : (fromHistory[i] ?? null),
  }));
  const d = diffLayers(listings, meta, { changesLimit: opts.changesLimit ?? 100 });
  return {
    imageId: info.id,
    layers: d.layers,
    totalBytes: d.totalBytes,
    finalBytes: d.finalBytes,
    wastedBytes: d.wastedBytes,
    efficiency: d.efficiency,
    wasted: d.wasted,
    partial: archive.partial || listings.some((l) => l.partial),
    warnings,
  };
}
