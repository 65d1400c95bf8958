/**
 * Identity Store request validation from the service model (patterns, lengths, list sizes) and its errors.
 * The model's patterns are written without anchors but AWS matches them whole (the IdentityStoreId pattern keeps a
 * stray inner `$|^`), so they are anchored here. Messages name the member, never the value sent.
 */
import type { Json, JsonObject } from './core.js';
import { ApiError, charLength, isObject } from './core.js';

const PATTERNS = {
  identityStoreId: /^(?:d-[0-9a-f]{10}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/,
  /** UserId, GroupId, MembershipId: `1234567890-<uuid>` or a bare UUID (stores migrated from legacy SSO). */
  resourceId: /^(?:[0-9a-f]{10}-)?[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$/,
  /** Letters, marks, symbols, numbers, punctuation: no spaces, no control (Cc) or format (Cf) characters. */
  userName: /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u,
  /** SensitiveStringType (names, DisplayName, e-mail values...): also tab, CR, LF, space, no-break and ideographic space. */
  text: /^[\p{L}\p{M}\p{S}\p{N}\p{P}\t\n\r \u00a0\u3000]+$/u,
  groupDisplayName: /^[\p{L}\p{M}\p{S}\p{N}\p{P}\t\n\r \u00a0]+$/u,
  attributePath: /^\p{L}+(?:\.\p{L}+){0,2}$/u,
  nextToken: /^[-a-zA-Z0-9+=/:_]*$/,
};

/** `Administrator` and `AWSAdministrators` are reserved for users and groups (any case). */
const RESERVED_NAMES = new Set(['administrator', 'awsadministrators']);

export const validation = (message: string): ApiError => new ApiError('ValidationException', 400, message);

/** ResourceNotFoundException; `resourceId` only when it is a well-formed id (the member is a ResourceId). */
export const notFound = (resourceType: 'USER' | 'GROUP' | 'IDENTITY_STORE' | 'GROUP_MEMBERSHIP', resourceId?: string): ApiError =>
  new ApiError('ResourceNotFoundException', 404, `The requested ${resourceType.toLowerCase().replace('_', ' ')} was not found.`,
    resourceId === undefined || !PATTERNS.resourceId.test(resourceId) ? { ResourceType: resourceType } : { ResourceType: resourceType, ResourceId: resourceId });

export const uniqueness = (): ApiError =>
  new ApiError('ConflictException', 409, 'The request would violate a uniqueness constraint of the identity store.', { Reason: 'UNIQUENESS_CONSTRAINT_VIOLATION' });

const constraint = (member: string, rule: string): ApiError => validation(`1 validation error detected: Value at '${member}' failed to satisfy constraint: ${rule}`);

function checkString(value: Json | undefined, member: string, pattern: RegExp, max: number, required: boolean): string | undefined {
  if (value === undefined || value === null) {
    if (required) throw constraint(member, 'Member must not be null');
    return undefined;
  }
  if (typeof value !== 'string') throw validation(`Value at '${member}' must be a string.`);
  const length = charLength(value);
  if (length < 1 || length > max) throw constraint(member, `Member must have length between 1 and ${max}`);
  if (!pattern.test(value)) throw constraint(member, 'Member must satisfy the regular expression pattern of the model');
  return value;
}

export const rules = {
  identityStoreId: (value: Json | undefined): string => checkString(value, 'identityStoreId', PATTERNS.identityStoreId, 36, true) ?? '',
  resourceId: (value: Json | undefined, member: string): string => checkString(value, member, PATTERNS.resourceId, 47, true) ?? '',
  userName: (value: Json | undefined, required = true): string | undefined => {
    const name = checkString(value, 'userName', PATTERNS.userName, 128, required);
    if (name !== undefined && RESERVED_NAMES.has(name.toLowerCase())) throw validation('The user name is reserved.');
    return name;
  },
  text: (value: Json | undefined, member: string, required = false): string | undefined => checkString(value, member, PATTERNS.text, 1024, required),
  groupDisplayName: (value: Json | undefined, required = true): string | undefined => {
    const name = checkString(value, 'displayName', PATTERNS.groupDisplayName, 1024, required);
    if (name !== undefined && RESERVED_NAMES.has(name.toLowerCase())) throw validation('The group name is reserved.');
    return name;
  },
  attributePath: (value: Json | undefined, member: string): string => checkString(value, member, PATTERNS.attributePath, 255, true) ?? '',
  nextToken: (value: Json | undefined): string | undefined => {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string' || value.length < 1 || value.length > 65535 || !PATTERNS.nextToken.test(value)) throw validation('The pagination token is invalid.');
    return value;
  },
  /** `MemberId` is a union with one member, `UserId`. */
  memberUserId: (input: JsonObject): string => {
    const member = input.MemberId;
    if (!isObject(member)) throw constraint('memberId', 'Member must not be null');
    return rules.resourceId(member.UserId, 'memberId.userId');
  },
  listSize: (list: Json | undefined, member: string, min: number, max: number): Json[] => {
    const items = Array.isArray(list) ? list : [];
    if (list !== undefined && !Array.isArray(list)) throw validation(`Value at '${member}' must be a list.`);
    if (items.length < min || items.length > max) throw constraint(member, `Member must have between ${min} and ${max} items`);
    return items;
  },
};

/** Name sub-attributes (all SensitiveStringType). */
export const NAME_FIELDS = ['Formatted', 'FamilyName', 'GivenName', 'MiddleName', 'HonorificPrefix', 'HonorificSuffix'];
/** Top-level SensitiveStringType attributes of a user. */
export const USER_TEXT_FIELDS = ['DisplayName', 'NickName', 'ProfileUrl', 'UserType', 'Title', 'PreferredLanguage', 'Locale', 'Timezone', 'Website', 'Birthdate'];
/** Multi-valued attributes: lists of objects whose string members are SensitiveStringType. */
export const USER_LIST_FIELDS: Record<string, number> = { Emails: 1, Addresses: 1, PhoneNumbers: 1, Photos: 3, Roles: 1 };

/** Checks the members of a Name object or an Emails/Addresses/... item: strings are SensitiveStringType. */
export function checkObjectText(value: Json | undefined, member: string): void {
  if (value === undefined || value === null) return;
  if (!isObject(value)) throw validation(`Value at '${member}' must be an object.`);
  for (const [key, inner] of Object.entries(value)) {
    if (typeof inner === 'string') rules.text(inner, `${member}.${key[0]?.toLowerCase() ?? ''}${key.slice(1)}`);
  }
}
