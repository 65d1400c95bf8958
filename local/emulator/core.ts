/** Shared building blocks of the local AWS emulator: errors, JSON helpers, seeded randomness, AWS-like ids, paging. */
import { createHash, randomUUID } from 'node:crypto';

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export type ServiceName = 'connect' | 'identitystore' | 'sso-admin' | 'sqs' | 'sts' | 'cloudtrail' | 'dynamodb' | 'cloudwatch' | 'sns';

/** An error answered to the client; each protocol renders it the way the real service does. */
export class ApiError extends Error {
  constructor(
    public readonly code: string,
    public readonly status: number,
    message: string,
    public readonly fields: JsonObject = {},
    public readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = code;
  }
}

export const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function str(input: JsonObject, key: string): string | undefined {
  const value = input[key];
  return typeof value === 'string' ? value : undefined;
}

export function num(input: JsonObject, key: string): number | undefined {
  const value = input[key];
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  return undefined;
}

export function obj(input: JsonObject, key: string): JsonObject | undefined {
  const value = input[key];
  return isObject(value) ? value : undefined;
}

export function arr(input: JsonObject, key: string): Json[] {
  const value = input[key];
  return Array.isArray(value) ? value : [];
}

export function strings(input: JsonObject, key: string): string[] {
  return arr(input, key).filter((v): v is string => typeof v === 'string');
}

/** Removes undefined values so objects can be returned as JSON. */
export function compact(input: Record<string, Json | undefined>): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(input)) if (value !== undefined) out[key] = value;
  return out;
}

export function clone<T>(value: T): T {
  return structuredClone(value);
}

export const md5Hex = (data: string | Buffer): string => createHash('md5').update(data).digest('hex');

/** mulberry32: a small seeded PRNG, so fault injection is reproducible. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (length: number): string => {
  let out = '';
  while (out.length < length) out += randomUUID().replace(/-/g, '');
  return out.slice(0, length);
};

export const ids = {
  uuid: (): string => randomUUID(),
  identityStore: (): string => `d-${hex(10)}`,
  /** Identity Store user/group/membership ids: `<the store id's 10 hex digits>-<uuid>` (the API reference's format). */
  identityResource: (identityStoreId?: string): string => `${/^d-([0-9a-f]{10})$/.exec(identityStoreId ?? '')?.[1] ?? hex(10)}-${randomUUID()}`,
  permissionSet: (): string => `ps-${hex(16)}`,
  ssoInstance: (): string => `ssoins-${hex(16)}`,
  application: (): string => `apl-${hex(16)}`,
  requestId: (): string => randomUUID(),
  accessKey: (): string => `ASIA${hex(16).toUpperCase()}`,
};

/**
 * Opaque NextToken: base64 of a digest of what is listed (store, application ARN, filter...) and the offset, so a token
 * works only on the list it came from and never holds a separator of the listed key. A MaxResults outside 1..limit is
 * refused with the service's validation error (the code of `invalidToken`), as AWS refuses it. Without MaxResults a page
 * holds `defaultSize` items (AWS often documents a default below the limit, e.g. Connect's 100 of 1000). With `short`
 * a page before the last holds half as many (AWS documents that a page may hold fewer items than asked while a
 * NextToken follows), so callers that stop on a short page are caught.
 */
export function page<T>(
  items: T[], nextToken: string | undefined, maxResults: number | undefined, limit: number, tag: string, invalidToken: ApiError,
  options: { defaultSize?: number; short?: boolean } = {},
): { items: T[]; nextToken?: string } {
  if (maxResults !== undefined && (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > limit)) {
    throw new ApiError(invalidToken.code, invalidToken.status, `MaxResults must be between 1 and ${limit}.`, invalidToken.fields);
  }
  const key = md5Hex(tag).slice(0, 16);
  let offset = 0;
  // An empty token is no token (where the model allows one: Connect's ListUsers, SSO Admin's Token of 0-2048).
  if (nextToken !== undefined && nextToken !== '') {
    const [tokenKey, rawOffset] = Buffer.from(nextToken, 'base64').toString('utf8').split('.');
    offset = Number(rawOffset);
    if (tokenKey !== key || !Number.isInteger(offset) || offset < 0) throw invalidToken;
  }
  const asked = Math.max(1, Math.min(maxResults ?? options.defaultSize ?? limit, limit));
  const size = options.short === true && offset + asked < items.length ? Math.max(1, Math.floor(asked / 2)) : asked;
  const slice = items.slice(offset, offset + size);
  const next = offset + size < items.length ? Buffer.from(`${key}.${offset + size}`).toString('base64') : undefined;
  return next === undefined ? { items: slice } : { items: slice, nextToken: next };
}

/** Length in characters (code points), as AWS's length constraints count them, not UTF-16 units. */
export const charLength = (value: string): number => [...value].length;

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
