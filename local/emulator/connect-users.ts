/** Connect CreateUser validation and SearchUsers (criteria, summary shape, paging). */
import type { ConnectInstance, ConnectService } from './connect.js';
import type { Json, JsonObject } from './core.js';
import { ApiError, compact, ids, isObject, obj, page, str, strings } from './core.js';

export const connectErrors = {
  notFound: (what: string): ApiError => new ApiError('ResourceNotFoundException', 404, `The specified ${what} was not found.`),
  invalid: (message: string): ApiError => new ApiError('InvalidParameterException', 400, message),
};

/**
 * `IdentityInfo.Email` on a SAML instance. The API reference (UserIdentityInfo): "Email: If you are using SAML for
 * identity management and include this parameter, an error is returned." It does not name the error; the API
 * reference's older text of the same member said "an InvalidRequestException is returned", and CreateUser and
 * UpdateUserIdentityInfo both list InvalidRequestException (400), so that is the one answered. The message names the
 * member, never its value. CONNECT_MANAGED and EXISTING_DIRECTORY instances accept Email.
 */
export function refuseSamlEmail(instance: ConnectInstance, identityInfo: JsonObject | undefined): void {
  if (instance.identityManagementType !== 'SAML' || identityInfo === undefined || !('Email' in identityInfo)) return;
  throw new ApiError('InvalidRequestException', 400, 'IdentityInfo.Email is not allowed for instances with SAML identity management.');
}

/** The API reference's Username rule beyond the model's 1-100 characters: up to 64 of `[a-zA-Z0-9_-.@]` (`connectUsername: documented`). */
const DOCUMENTED_USERNAME = /^[a-zA-Z0-9_\-.@]{1,64}$/;

/**
 * `SecurityProfileIds` (1 to 10 ids) of the instance. An id the instance does not have: both InvalidParameterException
 * and ResourceNotFoundException are listed for the operations; `connectUnknownSecurityProfile` picks one.
 */
export function securityProfileIds(connect: ConnectService, instance: ConnectInstance, input: JsonObject): string[] {
  const list = strings(input, 'SecurityProfileIds');
  for (const id of list) {
    connect.checkId(id, 'security profile');
    if (!instance.securityProfiles.has(id)) {
      throw connect.behaviour.current.connectUnknownSecurityProfile === 'invalid-parameter'
        ? connectErrors.invalid('One or more security profiles do not exist in the instance.')
        : connectErrors.notFound('security profile');
    }
  }
  return [...new Set(list)];
}

export function createConnectUser(connect: ConnectService, instance: ConnectInstance, input: JsonObject, options: { requireAll: boolean }): JsonObject {
  // The model checked the members (Username 1-100, 1-10 profile ids, RoutingProfileId present) for requests; seeds pass here.
  const username = str(input, 'Username') ?? '';
  if (connect.behaviour.current.connectUsername === 'documented' && !DOCUMENTED_USERNAME.test(username)) {
    throw connectErrors.invalid('Username must be 1-64 characters of [a-zA-Z0-9_-.@].');
  }
  const profiles = securityProfileIds(connect, instance, input);
  refuseSamlEmail(instance, obj(input, 'IdentityInfo'));
  if (options.requireAll) {
    // CreateUser's reference: a password "is required if you are using Amazon Connect for identity management.
    // Otherwise, it is an error to include a password"; DirectoryUserId on a SAML instance also "returns an error".
    const managed = instance.identityManagementType === 'CONNECT_MANAGED';
    if (managed !== (str(input, 'Password') !== undefined)) {
      throw connectErrors.invalid(managed
        ? 'Password is required for instances with CONNECT_MANAGED identity management.'
        : `Password is not allowed for instances with ${instance.identityManagementType} identity management.`);
    }
    if (instance.identityManagementType === 'SAML' && str(input, 'DirectoryUserId') !== undefined) {
      throw connectErrors.invalid('DirectoryUserId is not allowed for instances with SAML identity management.');
    }
  }
  for (const existing of instance.users.values()) {
    if (existing.Username === username) throw new ApiError('DuplicateResourceException', 409, 'A user with this username already exists.');
  }
  const id = ids.uuid();
  const user = compact({
    Id: id,
    Arn: `${instance.arn}/agent/${id}`,
    Username: username,
    IdentityInfo: obj(input, 'IdentityInfo') ?? {},
    PhoneConfig: obj(input, 'PhoneConfig') ?? { PhoneType: 'SOFT_PHONE', AutoAccept: false, AfterContactWorkTimeLimit: 0 },
    DirectoryUserId: str(input, 'DirectoryUserId') ?? ids.uuid(),
    SecurityProfileIds: profiles,
    RoutingProfileId: str(input, 'RoutingProfileId') ?? ids.uuid(),
    HierarchyGroupId: str(input, 'HierarchyGroupId'),
    Tags: obj(input, 'Tags') ?? {},
    LastModifiedTime: Date.now() / 1000,
    LastModifiedRegion: connect.regionName,
  });
  instance.users.set(id, user);
  return { UserId: id, UserArn: `${instance.arn}/agent/${id}` };
}

/** The StringCondition field names the API reference lists for users (matched case-insensitively, as `resourceId`). */
const FIELDS: Record<string, (user: JsonObject) => Json | Json[] | undefined> = {
  username: (u) => u.Username,
  resourceid: (u) => u.Id,
  firstname: (u) => (isObject(u.IdentityInfo) ? u.IdentityInfo.FirstName : undefined),
  lastname: (u) => (isObject(u.IdentityInfo) ? u.IdentityInfo.LastName : undefined),
  routingprofileid: (u) => u.RoutingProfileId,
  securityprofileid: (u) => (Array.isArray(u.SecurityProfileIds) ? u.SecurityProfileIds : []),
};

function matchesCriteria(connect: ConnectService, user: JsonObject, criteria: JsonObject): boolean {
  const checks: boolean[] = [];
  const or = criteria.OrConditions;
  if (Array.isArray(or)) checks.push(or.some((c) => isObject(c) && matchesCriteria(connect, user, c)));
  const and = criteria.AndConditions;
  if (Array.isArray(and)) checks.push(and.every((c) => isObject(c) && matchesCriteria(connect, user, c)));
  if (criteria.ListCondition !== undefined || criteria.HierarchyGroupCondition !== undefined) {
    throw new ApiError('InvalidRequestException', 400, 'ListCondition and HierarchyGroupCondition are not supported by the emulator.');
  }
  const condition = obj(criteria, 'StringCondition');
  if (condition !== undefined) {
    const read = FIELDS[(str(condition, 'FieldName') ?? '').toLowerCase()];
    if (read === undefined) throw connectErrors.invalid('The FieldName of the StringCondition is not supported.');
    const actual = read(user);
    const texts = (Array.isArray(actual) ? actual : [actual]).filter((v): v is string => typeof v === 'string');
    const value = str(condition, 'Value') ?? '';
    const type = str(condition, 'ComparisonType') ?? 'EXACT';
    // EXACT follows `lookupCase.connect`; STARTS_WITH and CONTAINS ignore case.
    const exact = connect.behaviour.fold('connect');
    const lower = (s: string) => s.toLowerCase();
    if (type === 'EXACT') checks.push(texts.some((t) => exact(t) === exact(value)));
    else if (type === 'STARTS_WITH') checks.push(texts.some((t) => lower(t).startsWith(lower(value))));
    else if (type === 'CONTAINS') checks.push(texts.some((t) => lower(t).includes(lower(value))));
    else throw connectErrors.invalid('The ComparisonType must be EXACT, STARTS_WITH or CONTAINS.');
  }
  return checks.every(Boolean);
}

/** SearchUsers: UserSearchSummary entries (FirstName and LastName only, no e-mail), up to 500 a page. */
export function searchUsers(connect: ConnectService, body: JsonObject): JsonObject {
  const instance = connect.instance(str(body, 'InstanceId'));
  if (body.SearchFilter !== undefined) throw new ApiError('InvalidRequestException', 400, 'SearchFilter is not supported by the emulator.');
  const criteria = obj(body, 'SearchCriteria');
  const matched = [...instance.users.values()].filter((user) => criteria === undefined || matchesCriteria(connect, user, criteria));
  const maxResults = typeof body.MaxResults === 'number' ? body.MaxResults : undefined;
  const result = page(matched, str(body, 'NextToken'), maxResults, 500, `search-users-${instance.id}`, connectErrors.invalid('Invalid NextToken'), { short: connect.behaviour.current.pages === 'short' });
  const users = result.items.map((u) => {
    const info = isObject(u.IdentityInfo) ? u.IdentityInfo : {};
    return compact({
      Id: u.Id, Arn: u.Arn, Username: u.Username,
      IdentityInfo: compact({ FirstName: info.FirstName, LastName: info.LastName }),
      PhoneConfig: u.PhoneConfig, DirectoryUserId: u.DirectoryUserId, SecurityProfileIds: u.SecurityProfileIds,
      RoutingProfileId: u.RoutingProfileId, HierarchyGroupId: u.HierarchyGroupId, Tags: u.Tags,
    });
  });
  return compact({ Users: users, NextToken: result.nextToken, ApproximateTotalCount: matched.length });
}
