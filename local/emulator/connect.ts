/** Amazon Connect (restJson1): the user, security-profile and routing-profile operations, with Connect's errors and paging. */
import type { Behaviour } from './behaviour.js';
import type { JsonObject } from './core.js';
import { ApiError, clone, compact, ids, obj, page } from './core.js';
import { connectErrors, createConnectUser, refuseSamlEmail, searchUsers, securityProfileIds } from './connect-users.js';

export { connectErrors } from './connect-users.js';

export type IdentityManagementType = 'SAML' | 'CONNECT_MANAGED' | 'EXISTING_DIRECTORY';

export interface SecurityProfile { Id: string; Arn: string; Name: string; LastModifiedTime: number; LastModifiedRegion: string }
/** ListRoutingProfiles' RoutingProfileSummary: the same members as a security profile's summary. */
export type RoutingProfile = SecurityProfile;

export interface ConnectInstance {
  id: string;
  arn: string;
  alias: string;
  identityManagementType: IdentityManagementType;
  createdTime: number;
  users: Map<string, JsonObject>;
  /** Keyed by id. */
  securityProfiles: Map<string, SecurityProfile>;
  /** Keyed by id. */
  routingProfiles: Map<string, RoutingProfile>;
}

export interface ConnectRoute { operation: string; params: Record<string, string> }

const ROUTES: { method: string; pattern: string[]; operation: string }[] = [
  { method: 'PUT', pattern: ['users', ':InstanceId'], operation: 'CreateUser' },
  { method: 'GET', pattern: ['users', ':InstanceId', ':UserId'], operation: 'DescribeUser' },
  { method: 'DELETE', pattern: ['users', ':InstanceId', ':UserId'], operation: 'DeleteUser' },
  { method: 'POST', pattern: ['users', ':InstanceId', ':UserId', 'identity-info'], operation: 'UpdateUserIdentityInfo' },
  { method: 'POST', pattern: ['users', ':InstanceId', ':UserId', 'security-profiles'], operation: 'UpdateUserSecurityProfiles' },
  { method: 'GET', pattern: ['users-summary', ':InstanceId'], operation: 'ListUsers' },
  { method: 'POST', pattern: ['search-users'], operation: 'SearchUsers' },
  { method: 'GET', pattern: ['security-profiles-summary', ':InstanceId'], operation: 'ListSecurityProfiles' },
  { method: 'GET', pattern: ['routing-profiles-summary', ':InstanceId'], operation: 'ListRoutingProfiles' },
  { method: 'GET', pattern: ['instance', ':InstanceId'], operation: 'DescribeInstance' },
];

/** The security profiles a new instance comes with. */
export const DEFAULT_SECURITY_PROFILES = ['Admin', 'Agent', 'CallCenterManager', 'QualityAnalyst'];

/** The routing profile a new instance comes with. */
export const BASIC_ROUTING_PROFILE = 'Basic Routing Profile';
/**
 * Its id. AWS generates one per instance; the emulator gives every instance's Basic Routing Profile this one, so the
 * demo's bulk upload and seeds can name it without a lookup. (CreateUser does not check RoutingProfileId.)
 */
export const BASIC_ROUTING_PROFILE_ID = '00000000-0000-4000-8000-000000000002';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An instance may be named by its id or by its ARN (`arn:aws:connect:region:account:instance/id`). */
export const instanceIdOf = (idOrArn: string): string => {
  const match = /^arn:[^:]+:connect:[^:]*:[^:]*:instance\/([^/]+)/.exec(idOrArn);
  return match?.[1] ?? idOrArn;
};

export class ConnectService {
  readonly instances = new Map<string, ConnectInstance>();

  constructor(private readonly region: string, private readonly accountId: string, readonly behaviour: Behaviour) {}

  addInstance(spec: { id?: string; alias: string; identityManagementType: IdentityManagementType; securityProfiles?: string[]; routingProfiles?: string[] }): ConnectInstance {
    const id = spec.id ?? ids.uuid();
    if (!UUID.test(id)) throw new Error('seed: a Connect instance id is a UUID');
    const instance: ConnectInstance = {
      id,
      arn: `arn:aws:connect:${this.region}:${this.accountId}:instance/${id}`,
      alias: spec.alias,
      identityManagementType: spec.identityManagementType,
      createdTime: Math.floor(Date.now() / 1000),
      users: new Map(),
      securityProfiles: new Map(),
      routingProfiles: new Map(),
    };
    for (const name of [...DEFAULT_SECURITY_PROFILES, ...(spec.securityProfiles ?? [])]) this.addSecurityProfile(instance, name);
    this.addRoutingProfile(instance, BASIC_ROUTING_PROFILE, BASIC_ROUTING_PROFILE_ID);
    for (const name of spec.routingProfiles ?? []) this.addRoutingProfile(instance, name);
    this.instances.set(id, instance);
    return instance;
  }

  addSecurityProfile(instance: ConnectInstance, name: string): SecurityProfile {
    if ([...instance.securityProfiles.values()].some((p) => p.Name === name)) throw new Error(`seed: security profile ${name} already exists`);
    const id = ids.uuid();
    const profile: SecurityProfile = { Id: id, Arn: `${instance.arn}/security-profile/${id}`, Name: name, LastModifiedTime: Date.now() / 1000, LastModifiedRegion: this.region };
    instance.securityProfiles.set(id, profile);
    return profile;
  }

  addRoutingProfile(instance: ConnectInstance, name: string, id = ids.uuid()): RoutingProfile {
    if ([...instance.routingProfiles.values()].some((p) => p.Name === name)) throw new Error(`seed: routing profile ${name} already exists`);
    const profile: RoutingProfile = { Id: id, Arn: `${instance.arn}/routing-profile/${id}`, Name: name, LastModifiedTime: Date.now() / 1000, LastModifiedRegion: this.region };
    instance.routingProfiles.set(id, profile);
    return profile;
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

  /** An id the model leaves without a pattern but AWS issues as a UUID: `connectMalformedIds` decides the answer. */
  checkId(value: string, what: string): string {
    if (UUID.test(value)) return value;
    throw this.behaviour.current.connectMalformedIds === 'invalid-parameter' ? connectErrors.invalid(`The ${what} id is not valid.`) : connectErrors.notFound(what);
  }

  instance(idOrArn: string | undefined): ConnectInstance {
    const instance = this.instances.get(this.checkId(instanceIdOf(idOrArn ?? ''), 'instance'));
    if (instance === undefined) throw connectErrors.notFound('instance');
    return instance;
  }

  user(instance: ConnectInstance, userId: string | undefined): JsonObject {
    const user = instance.users.get(this.checkId(userId ?? '', 'user'));
    if (user === undefined) throw connectErrors.notFound('user');
    return user;
  }

  /** CreateUser's semantics; seeding uses it too (with `requireAll: false`, and no event). */
  createUser(instanceIdOrArn: string, input: JsonObject, options: { requireAll: boolean }): JsonObject {
    return createConnectUser(this, this.instance(instanceIdOrArn), input, options);
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
        const user = this.user(instance, params.UserId);
        instance.users.delete(String(user.Id));
        return {};
      }
      case 'UpdateUserIdentityInfo': {
        const instance = this.instance(params.InstanceId);
        const user = this.user(instance, params.UserId);
        refuseSamlEmail(instance, obj(body, 'IdentityInfo'));
        user.IdentityInfo = clone(obj(body, 'IdentityInfo') ?? {});
        user.LastModifiedTime = Date.now() / 1000;
        return {};
      }
      case 'UpdateUserSecurityProfiles': {
        const instance = this.instance(params.InstanceId);
        const user = this.user(instance, params.UserId);
        user.SecurityProfileIds = securityProfileIds(this, instance, body);
        user.LastModifiedTime = Date.now() / 1000;
        return {};
      }
      case 'ListUsers': {
        const instance = this.instance(params.InstanceId);
        const all = [...instance.users.values()].map((u) => ({ Id: u.Id ?? null, Arn: u.Arn ?? null, Username: u.Username ?? null, LastModifiedTime: u.LastModifiedTime ?? null, LastModifiedRegion: u.LastModifiedRegion ?? null }));
        // MaxResults 1..1000; the API reference gives 100 as the default page size.
        const result = page(all, query.get('nextToken') ?? undefined, maxResultsOf(query), 1000, `list-users-${instance.id}`, connectErrors.invalid('Invalid NextToken'), { defaultSize: 100, short: this.behaviour.current.pages === 'short' });
        return compact({ UserSummaryList: result.items, NextToken: result.nextToken });
      }
      case 'ListSecurityProfiles': {
        const instance = this.instance(params.InstanceId);
        const all = [...instance.securityProfiles.values()].map((p) => ({ ...p }));
        const result = page(all, query.get('nextToken') ?? undefined, maxResultsOf(query), 1000, `profiles-${instance.id}`, connectErrors.invalid('Invalid NextToken'), { defaultSize: 100, short: this.behaviour.current.pages === 'short' });
        return compact({ SecurityProfileSummaryList: result.items, NextToken: result.nextToken });
      }
      case 'ListRoutingProfiles': {
        const instance = this.instance(params.InstanceId);
        const all = [...instance.routingProfiles.values()].map((p) => ({ ...p }));
        // MaxResults 1..1000 (the model); the API reference gives 100 as the default page size.
        const result = page(all, query.get('nextToken') ?? undefined, maxResultsOf(query), 1000, `routing-profiles-${instance.id}`, connectErrors.invalid('Invalid NextToken'), { defaultSize: 100, short: this.behaviour.current.pages === 'short' });
        return compact({ RoutingProfileSummaryList: result.items, NextToken: result.nextToken });
      }
      case 'SearchUsers':
        return searchUsers(this, body);
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
        throw new ApiError('UnknownOperationException', 400, 'The requested operation is not supported by the emulator.');
    }
  }

  /** The region users' LastModifiedRegion names. */
  get regionName(): string {
    return this.region;
  }
}

function maxResultsOf(query: URLSearchParams): number | undefined {
  const raw = query.get('maxResults');
  return raw === null ? undefined : Number(raw);
}
