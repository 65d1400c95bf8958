/** Amazon Connect (restJson1): the user operations the sync uses, with Connect's errors and paging. */
import type { Json, JsonObject } from './core.js';
import { ApiError, clone, compact, ids, isObject, obj, page, str, strings } from './core.js';

export type IdentityManagementType = 'SAML' | 'CONNECT_MANAGED' | 'EXISTING_DIRECTORY';

export interface ConnectInstance {
  id: string;
  arn: string;
  alias: string;
  identityManagementType: IdentityManagementType;
  createdTime: number;
  users: Map<string, JsonObject>;
}

export interface ConnectRoute { operation: string; params: Record<string, string> }

const ROUTES: { method: string; pattern: string[]; operation: string }[] = [
  { method: 'PUT', pattern: ['users', ':InstanceId'], operation: 'CreateUser' },
  { method: 'GET', pattern: ['users', ':InstanceId', ':UserId'], operation: 'DescribeUser' },
  { method: 'DELETE', pattern: ['users', ':InstanceId', ':UserId'], operation: 'DeleteUser' },
  { method: 'POST', pattern: ['users', ':InstanceId', ':UserId', 'identity-info'], operation: 'UpdateUserIdentityInfo' },
  { method: 'GET', pattern: ['users-summary', ':InstanceId'], operation: 'ListUsers' },
  { method: 'POST', pattern: ['search-users'], operation: 'SearchUsers' },
  { method: 'GET', pattern: ['instance', ':InstanceId'], operation: 'DescribeInstance' },
];

/** Connect usernames: up to 64 characters of letters, digits and `_-.@` (SAML logins are usually e-mail addresses). */
const USERNAME = /^[a-zA-Z0-9_\-.@]{1,64}$/;

const notFound = (what: string): ApiError => new ApiError('ResourceNotFoundException', 404, what);
const invalid = (message: string): ApiError => new ApiError('InvalidParameterException', 400, message);

/** An instance may be named by its id or by its ARN (`arn:aws:connect:region:account:instance/id`). */
export const instanceIdOf = (idOrArn: string): string => {
  const match = /^arn:[^:]+:connect:[^:]*:[^:]*:instance\/([^/]+)/.exec(idOrArn);
  return match?.[1] ?? idOrArn;
};

export class ConnectService {
  readonly instances = new Map<string, ConnectInstance>();

  constructor(private readonly region: string, private readonly accountId: string) {}

  addInstance(spec: { id?: string; alias: string; identityManagementType: IdentityManagementType }): ConnectInstance {
    const id = spec.id ?? ids.uuid();
    const instance: ConnectInstance = {
      id,
      arn: `arn:aws:connect:${this.region}:${this.accountId}:instance/${id}`,
      alias: spec.alias,
      identityManagementType: spec.identityManagementType,
      createdTime: Math.floor(Date.now() / 1000),
      users: new Map(),
    };
    this.instances.set(id, instance);
    return instance;
  }

  route(method: string, segments: string[]): ConnectRoute | undefined {
    for (const route of ROUTES) {
      if (route.method !== method || route.pattern.length !== segments.length) continue;
      const params: Record<string, string> = {};
      const matches = route.pattern.every((part, i) => {
        const segment = segments[i] ?? '';
        if (part.startsWith(':')) {
          params[part.slice(1)] = segment;
          return segment !== '';
        }
        return part === segment;
      });
      if (matches) return { operation: route.operation, params };
    }
    return undefined;
  }

  instance(idOrArn: string | undefined): ConnectInstance {
    const instance = idOrArn === undefined ? undefined : this.instances.get(instanceIdOf(idOrArn));
    if (instance === undefined) throw notFound(`Instance not found: ${idOrArn ?? '(none)'}`);
    return instance;
  }

  private user(instance: ConnectInstance, userId: string | undefined): JsonObject {
    const user = userId === undefined ? undefined : instance.users.get(userId);
    if (user === undefined) throw notFound(`User not found for id: ${userId ?? '(none)'}`);
    return user;
  }

  /** CreateUser's semantics, also used for seeding (which emits no event). */
  createUser(instanceIdOrArn: string, input: JsonObject, options: { requireAll: boolean }): JsonObject {
    const instance = this.instance(instanceIdOrArn);
    const username = str(input, 'Username');
    if (username === undefined || !USERNAME.test(username)) {
      throw invalid(`Username must be 1-64 characters of [a-zA-Z0-9_-.@]: ${username ?? '(missing)'}`);
    }
    if (options.requireAll) {
      if (strings(input, 'SecurityProfileIds').length === 0) throw invalid('SecurityProfileIds is required.');
      if (str(input, 'RoutingProfileId') === undefined) throw invalid('RoutingProfileId is required.');
      if (obj(input, 'PhoneConfig') === undefined) throw invalid('PhoneConfig is required.');
      if (instance.identityManagementType === 'CONNECT_MANAGED' && str(input, 'Password') === undefined) {
        throw invalid('Password is required for instances with CONNECT_MANAGED identity management.');
      }
    }
    for (const existing of instance.users.values()) {
      if (existing.Username === username) throw new ApiError('DuplicateResourceException', 409, `User with username ${username} already exists.`);
    }
    const id = ids.uuid();
    const user = compact({
      Id: id,
      Arn: `${instance.arn}/agent/${id}`,
      Username: username,
      IdentityInfo: obj(input, 'IdentityInfo') ?? {},
      PhoneConfig: obj(input, 'PhoneConfig') ?? { PhoneType: 'SOFT_PHONE', AutoAccept: false, AfterContactWorkTimeLimit: 0 },
      DirectoryUserId: str(input, 'DirectoryUserId') ?? ids.uuid(),
      SecurityProfileIds: strings(input, 'SecurityProfileIds'),
      RoutingProfileId: str(input, 'RoutingProfileId') ?? ids.uuid(),
      HierarchyGroupId: str(input, 'HierarchyGroupId'),
      Tags: obj(input, 'Tags') ?? {},
      LastModifiedTime: Date.now() / 1000,
      LastModifiedRegion: this.region,
    });
    instance.users.set(id, user);
    return { UserId: id, UserArn: `${instance.arn}/agent/${id}` };
  }

  handle(route: ConnectRoute, query: URLSearchParams, body: JsonObject): JsonObject {
    const { params } = route;
    switch (route.operation) {
      case 'CreateUser':
        return this.createUser(params.InstanceId ?? '', body, { requireAll: true });
      case 'DescribeUser':
        return { User: clone(this.user(this.instance(params.InstanceId), params.UserId)) };
      case 'DeleteUser': {
        const instance = this.instance(params.InstanceId);
        this.user(instance, params.UserId);
        instance.users.delete(params.UserId ?? '');
        return {};
      }
      case 'UpdateUserIdentityInfo': {
        const user = this.user(this.instance(params.InstanceId), params.UserId);
        const info = obj(body, 'IdentityInfo');
        if (info === undefined) throw invalid('IdentityInfo is required.');
        user.IdentityInfo = clone(info);
        user.LastModifiedTime = Date.now() / 1000;
        return {};
      }
      case 'ListUsers': {
        const instance = this.instance(params.InstanceId);
        const maxResults = query.get('maxResults');
        const all = [...instance.users.values()].map((u) => ({ Id: u.Id ?? null, Arn: u.Arn ?? null, Username: u.Username ?? null, LastModifiedTime: u.LastModifiedTime ?? null, LastModifiedRegion: u.LastModifiedRegion ?? null }));
        const result = page(all, query.get('nextToken') ?? undefined, maxResults === null ? undefined : Number(maxResults), 1000, `list-users-${instance.id}`, invalid('Invalid NextToken'));
        return compact({ UserSummaryList: result.items, NextToken: result.nextToken });
      }
      case 'SearchUsers':
        return this.searchUsers(body);
      case 'DescribeInstance': {
        const instance = this.instance(params.InstanceId);
        return {
          Instance: {
            Id: instance.id,
            Arn: instance.arn,
            IdentityManagementType: instance.identityManagementType,
            InstanceAlias: instance.alias,
            CreatedTime: instance.createdTime,
            ServiceRole: `arn:aws:iam::${this.accountId}:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect_${instance.alias}`,
            InstanceStatus: 'ACTIVE',
            InboundCallsEnabled: true,
            OutboundCallsEnabled: true,
            InstanceAccessUrl: `https://${instance.alias}.my.connect.aws`,
          },
        };
      }
      default:
        throw new ApiError('UnknownOperationException', 400, `Unknown operation ${route.operation}`);
    }
  }

  private searchUsers(body: JsonObject): JsonObject {
    const instance = this.instance(str(body, 'InstanceId'));
    const criteria = obj(body, 'SearchCriteria');
    const matched = [...instance.users.values()].filter((user) => criteria === undefined || matchesCriteria(user, criteria));
    const maxResults = typeof body.MaxResults === 'number' ? body.MaxResults : undefined;
    const result = page(matched, str(body, 'NextToken'), maxResults, 500, `search-users-${instance.id}`, invalid('Invalid NextToken'));
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
}

const FIELDS: Record<string, (user: JsonObject) => Json | undefined> = {
  username: (u) => u.Username,
  resourceid: (u) => u.Id,
  firstname: (u) => (isObject(u.IdentityInfo) ? u.IdentityInfo.FirstName : undefined),
  lastname: (u) => (isObject(u.IdentityInfo) ? u.IdentityInfo.LastName : undefined),
  routingprofileid: (u) => u.RoutingProfileId,
};

function matchesCriteria(user: JsonObject, criteria: JsonObject): boolean {
  const checks: boolean[] = [];
  const or = criteria.OrConditions;
  if (Array.isArray(or)) checks.push(or.some((c) => isObject(c) && matchesCriteria(user, c)));
  const and = criteria.AndConditions;
  if (Array.isArray(and)) checks.push(and.every((c) => isObject(c) && matchesCriteria(user, c)));
  const condition = obj(criteria, 'StringCondition');
  if (condition !== undefined) {
    const field = (str(condition, 'FieldName') ?? '').toLowerCase();
    const read = FIELDS[field];
    if (read === undefined) throw invalid(`Unsupported FieldName: ${str(condition, 'FieldName') ?? ''}`);
    const actual = read(user);
    const value = str(condition, 'Value') ?? '';
    const text = typeof actual === 'string' ? actual : '';
    const type = str(condition, 'ComparisonType') ?? 'EXACT';
    if (type === 'EXACT') checks.push(text === value);
    else if (type === 'STARTS_WITH') checks.push(text.toLowerCase().startsWith(value.toLowerCase()));
    else if (type === 'CONTAINS') checks.push(text.toLowerCase().includes(value.toLowerCase()));
    else throw invalid(`Unsupported ComparisonType: ${type}`);
  }
  return checks.every(Boolean);
}
