import type { ContainerInfo } from '../../../shared/model';
import type { ImageInfo, RootfsInfo } from '../../../shared/rootfs';

/** Where withRootfs gets a container's rootfs: a RootfsCache, or a deferring wrapper that answers only from cache. */
export interface RootfsSource {
  get(containerId: string, pid: number): RootfsInfo | undefined;
}

/**
 * Adds `rootfs` (inspectRootfs of each running container's init, through the cache) and
 * `imageInfo` (by container id, from imageInfosFor) to discovered containers. Containers
 * without an init pid, and engine-less groups, get no rootfs; with no cache, none get one. Never throws.
 */
export function withRootfs(containers: readonly ContainerInfo[], cache: RootfsSource | null, images: ReadonlyMap<string, ImageInfo> = new Map()): ContainerInfo[] {
  return containers.map((c) => {
    const imageInfo = images.get(c.id);
    // Engine-less groups (unshare, a browser sandbox) see the host's own root: nothing to walk.
    const rootfs = cache !== null && c.pid !== null && c.engine !== 'none' ? cache.get(c.id, c.pid) : undefined;
    if (imageInfo === undefined && rootfs === undefined) return c;
    return { ...c, ...(rootfs !== undefined ? { rootfs } : {}), ...(imageInfo !== undefined ? { imageInfo } : {}) };
  });
}
