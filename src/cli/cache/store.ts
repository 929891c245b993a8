import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import * as zlib from 'node:zlib';

/**
 * A folder of cache entries, one file each, for one build of vfio-fsm (its
 * build id names the folder, so that a new build never reads an old one's
 * entries). Every entry holds its whole key and a CRC-32 of the rest, so a
 * file that is damaged, or that belongs to another key whose name clashed,
 * reads as a miss. Writes go to a temporary file renamed into place, so a
 * reader sees a whole entry or none, whatever runs at the same time. Every
 * failure (a read-only or missing folder, a full disk) is a miss or a
 * skipped write: the cache only ever saves time.
 */
export interface CacheStore {
  get(kind: string, key: string): Buffer | null;
  put(kind: string, key: string, payload: string | Uint8Array): void;
  /** How many gets found nothing usable so far. */
  readonly misses: number;
}

const MAGIC = 'VFC1';
const HEADER = 12;
/**
 * A build's folder is trimmed, least recently written first, to three
 * quarters of these once it holds more: entries are from 1 KB (a spec) to
 * 0.7 MB (a command's compiled code), and a few MB in all is usual.
 */
const MAX_ENTRIES = 400;
const MAX_BYTES = 64 * 1024 * 1024;
/** Builds kept: the current one and the one before (two installed versions used in turn). */
const KEEP_BUILDS = 2;

/** zlib.crc32 came in Node 20.15; on an older Node there is no cache. */
const crc32 = (zlib as { crc32?: (data: Uint8Array | string, value?: number) => number }).crc32;

/** The store under `folder` (see cacheFolder) for the build `buildId`, or null when it cannot be had. */
export function openStore(folder: string, buildId: string): CacheStore | null {
  if (!crc32 || !/^[0-9a-z-]{1,64}$/.test(buildId)) return null;
  const dir = join(folder, buildId);
  let written = 0;
  let misses = 0;
  const file = (kind: string, key: string): string => join(dir, `${kind}-${crc32(key).toString(16).padStart(8, '0')}-${Buffer.byteLength(key).toString(16)}`);
  return {
    get misses() {
      return misses;
    },
    get(kind, key) {
      let payload: Buffer | null = null;
      try {
        payload = unpack(readFileSync(file(kind, key)), key);
      } catch {
        // No entry (or no folder): a miss.
      }
      if (payload === null) misses++;
      return payload;
    },
    put(kind, key, payload) {
      try {
        // mkdir says which folder it made first: a new build's, the moment to drop the oldest builds.
        if (mkdirSync(dir, { recursive: true }) !== undefined) dropOldBuilds(folder, buildId);
        const target = file(kind, key);
        const temp = `${target}.${process.pid}-${written}.tmp`;
        const fd = openSync(temp, 'wx');
        try {
          for (const part of pack(key, payload)) writeSync(fd, part);
        } finally {
          closeSync(fd);
        }
        try {
          renameSync(temp, target);
        } catch {
          unlinkSync(temp);
          return;
        }
        if (++written === 1) trim(dir);
      } catch {
        // A read-only or full disk: the entry is simply not kept.
      }
    },
  };
}

function pack(key: string, payload: string | Uint8Array): Buffer[] {
  const keyBytes = Buffer.from(key);
  const body = typeof payload === 'string' ? Buffer.from(payload) : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  const header = Buffer.alloc(HEADER);
  header.write(MAGIC, 0, 'latin1');
  header.writeUInt32LE(keyBytes.length, 8);
  let crc = crc32!(header.subarray(8));
  crc = crc32!(keyBytes, crc);
  crc = crc32!(body, crc);
  header.writeUInt32LE(crc, 4);
  return [header, keyBytes, body];
}

/** The payload of an entry read back, or null when it is damaged or holds another key. */
export function unpack(bytes: Buffer, key: string): Buffer | null {
  if (bytes.length < HEADER || bytes.toString('latin1', 0, 4) !== MAGIC) return null;
  const keyLength = bytes.readUInt32LE(8);
  if (keyLength > bytes.length - HEADER || crc32!(bytes.subarray(8)) !== bytes.readUInt32LE(4)) return null;
  if (bytes.toString('utf8', HEADER, HEADER + keyLength) !== key) return null;
  return bytes.subarray(HEADER + keyLength);
}

/** Keeps a build's folder under MAX_ENTRIES and MAX_BYTES, dropping the least recently written entries. */
function trim(dir: string): void {
  const aged = readdirSync(dir).flatMap((name) => {
    try {
      const st = statSync(join(dir, name));
      return [{ name, at: st.mtimeMs, size: st.size }];
    } catch {
      return [];
    }
  });
  let bytes = aged.reduce((sum, e) => sum + e.size, 0);
  let count = aged.length;
  if (count <= MAX_ENTRIES && bytes <= MAX_BYTES) return;
  aged.sort((a, b) => a.at - b.at);
  for (const e of aged) {
    if (count <= (MAX_ENTRIES * 3) / 4 && bytes <= (MAX_BYTES * 3) / 4) break;
    rmSync(join(dir, e.name), { force: true });
    count--;
    bytes -= e.size;
  }
}

/** Removes the folders of older builds, keeping the newest KEEP_BUILDS (this one among them). */
function dropOldBuilds(folder: string, buildId: string): void {
  const builds = readdirSync(folder, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== buildId)
    .flatMap((e) => {
      try {
        return [{ name: e.name, at: statSync(join(folder, e.name)).mtimeMs }];
      } catch {
        return [];
      }
    })
    .sort((a, b) => b.at - a.at);
  for (const old of builds.slice(KEEP_BUILDS - 1)) rmSync(join(folder, old.name), { recursive: true, force: true });
}
