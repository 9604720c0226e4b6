// Podman's own REST API on the same socket as its Docker-compatible one: the container list
// carries what the compat API leaves out, the pod (Pod, PodName) and the infra flag (IsInfra).
import http from 'node:http';
import type { PodRef } from '../../../shared/model';

/** Malformed libpod API answer (GET /libpod/containers/json is not a JSON array). */
export class LibpodApiError extends Error {
  override readonly name = 'LibpodApiError';
}

/** What the libpod list says of one container's pod. */
export interface LibpodListEntry {
  /** Its Podman pod, null when it is in none. */
  readonly pod: PodRef | null;
  /** A pod's infra container (IsInfra). */
  readonly infra: boolean;
}

/** The libpod API version path the list is asked under (Podman >= 4 serves /v4.0.0/libpod/...). */
export const LIBPOD_LIST_PATH = '/v4.0.0/libpod/containers/json';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses the libpod API's ListContainer array (podman-system-service(1), GET /libpod/containers/json): pod and infra flag by full id. */
export function parseLibpodList(json: unknown): Map<string, LibpodListEntry> {
  if (!Array.isArray(json)) throw new LibpodApiError('libpod containers/json is not a JSON array');
  const out = new Map<string, LibpodListEntry>();
  for (const item of json) {
    if (!isRecord(item) || typeof item.Id !== 'string' || item.Id === '') continue;
    const podId = typeof item.Pod === 'string' ? item.Pod : '';
    const podName = typeof item.PodName === 'string' && item.PodName !== '' ? item.PodName : podId.slice(0, 12);
    out.set(item.Id, {
      pod: podId === '' ? null : { name: podName, namespace: '', uid: podId, kind: 'podman' },
      infra: item.IsInfra === true,
    });
  }
  return out;
}

/** GETs the libpod container list over the unix socket; rejects on a connection error, a non-200 answer, bad JSON, or after timeoutMs. */
export function fetchLibpodList(socketPath: string, timeoutMs: number): Promise<Map<string, LibpodListEntry>> {
  return new Promise((resolve, reject) => {
    const req = http.get({ socketPath, path: LIBPOD_LIST_PATH, timeout: timeoutMs, headers: { Host: 'd' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        if (res.statusCode !== 200) {
          reject(new LibpodApiError(`${LIBPOD_LIST_PATH} answered HTTP ${res.statusCode ?? '?'}`));
          return;
        }
        try {
          resolve(parseLibpodList(JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown));
        } catch (e) {
          reject(e instanceof LibpodApiError ? e : new LibpodApiError(`${LIBPOD_LIST_PATH}: ${(e as Error).message}`));
        }
      });
    });
    req.on('timeout', () => req.destroy(new LibpodApiError(`no answer from ${socketPath} within ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}
