/** Identity Store (awsJson1_1, target prefix AWSIdentityStore): users, groups and memberships per store. */
import type { JsonObject } from './core.js';
import { ApiError, arr, clone, compact, ids, isObject, num, obj, page, str, strings } from './core.js';

export interface IdentityStore {
  id: string;
  readOnly: boolean;
  users: Map<string, JsonObject>;
  groups: Map<string, JsonObject>;
  memberships: Map<string, { MembershipId: string; GroupId: string; UserId: string }>;
}

const WRITES = new Set(['CreateUser', 'DeleteUser', 'UpdateUser', 'CreateGroup', 'DeleteGroup', 'UpdateGroup', 'CreateGroupMembership', 'DeleteGroupMembership']);
const RESERVED_USER_NAMES = new Set(['administrator', 'awsadministrators']);

const validation = (message: string): ApiError => new ApiError('ValidationException', 400, message);
const notFound = (resourceType: string, resourceId: string): ApiError =>
  new ApiError('ResourceNotFoundException', 404, `${resourceType} not found: ${resourceId}`, { ResourceType: resourceType, ResourceId: resourceId });
const conflict = (message: string): ApiError => new ApiError('ConflictException', 409, message, { Reason: 'UNIQUENESS_CONSTRAINT_VIOLATION' });

export class IdentityStoreService {
  readonly stores = new Map<string, IdentityStore>();

  addStore(spec: { id?: string; readOnly?: boolean }): IdentityStore {
    const store: IdentityStore = { id: spec.id ?? ids.identityStore(), readOnly: spec.readOnly ?? false, users: new Map(), groups: new Map(), memberships: new Map() };
    this.stores.set(store.id, store);
    return store;
  }

  store(id: string | undefined): IdentityStore {
    const store = id === undefined ? undefined : this.stores.get(id);
    if (store === undefined) throw notFound('IDENTITY_STORE', id ?? '(none)');
    return store;
  }

  handle(operation: string, input: JsonObject): JsonObject {
    const store = this.store(str(input, 'IdentityStoreId'));
    if (store.readOnly && WRITES.has(operation)) {
      throw new ApiError('AccessDeniedException', 403, `The identity store ${store.id} is provisioned by an external identity provider (SCIM) and is read-only.`);
    }
    const invalidToken = validation('The pagination token is invalid.');
    switch (operation) {
      case 'CreateUser':
        return { UserId: this.createUser(store, input), IdentityStoreId: store.id };
      case 'DescribeUser':
        return { ...clone(this.user(store, str(input, 'UserId'))), IdentityStoreId: store.id };
      case 'GetUserId': {
        const attribute = obj(obj(input, 'AlternateIdentifier') ?? {}, 'UniqueAttribute');
        if (attribute === undefined) throw validation('AlternateIdentifier.UniqueAttribute is required.');
        const path = str(attribute, 'AttributePath');
        const value = String(attribute.AttributeValue ?? '').toLowerCase();
        if (path !== 'userName' && path !== 'emails.value') throw validation(`Unsupported AttributePath: ${path ?? ''}`);
        for (const user of store.users.values()) {
          const candidates = path === 'userName' ? [user.UserName] : arr(user, 'Emails').map((e) => (isObject(e) ? e.Value : undefined));
          if (candidates.some((c) => typeof c === 'string' && c.toLowerCase() === value)) return { UserId: String(user.UserId), IdentityStoreId: store.id };
        }
        throw notFound('USER', String(attribute.AttributeValue ?? ''));
      }
      case 'ListUsers': {
        const filter = arr(input, 'Filters').find(isObject);
        const users = [...store.users.values()].filter((u) => filter === undefined || (str(filter, 'AttributePath') === 'UserName' && String(u.UserName).toLowerCase() === String(filter.AttributeValue ?? '').toLowerCase()));
        const result = page(users.map((u) => ({ ...clone(u), IdentityStoreId: store.id })), str(input, 'NextToken'), num(input, 'MaxResults'), 100, `users-${store.id}`, invalidToken);
        return compact({ Users: result.items, NextToken: result.nextToken });
      }
      case 'DeleteUser': {
        const user = this.user(store, str(input, 'UserId'));
        store.users.delete(String(user.UserId));
        for (const [id, m] of store.memberships) if (m.UserId === user.UserId) store.memberships.delete(id);
        return {};
      }
      case 'CreateGroup':
        return { GroupId: this.createGroup(store, input), IdentityStoreId: store.id };
      case 'DescribeGroup':
        return { ...clone(this.group(store, str(input, 'GroupId'))), IdentityStoreId: store.id };
      case 'GetGroupId': {
        const attribute = obj(obj(input, 'AlternateIdentifier') ?? {}, 'UniqueAttribute');
        if (attribute === undefined || str(attribute, 'AttributePath') !== 'displayName') throw validation('Only AlternateIdentifier.UniqueAttribute with AttributePath displayName is supported.');
        const value = String(attribute.AttributeValue ?? '').toLowerCase();
        for (const group of store.groups.values()) {
          if (String(group.DisplayName).toLowerCase() === value) return { GroupId: String(group.GroupId), IdentityStoreId: store.id };
        }
        throw notFound('GROUP', String(attribute.AttributeValue ?? ''));
      }
      case 'ListGroups': {
        const result = page([...store.groups.values()].map((g) => ({ ...clone(g), IdentityStoreId: store.id })), str(input, 'NextToken'), num(input, 'MaxResults'), 100, `groups-${store.id}`, invalidToken);
        return compact({ Groups: result.items, NextToken: result.nextToken });
      }
      case 'CreateGroupMembership':
        return { MembershipId: this.createMembership(store, str(input, 'GroupId'), memberUserId(input)), IdentityStoreId: store.id };
      case 'GetGroupMembershipId': {
        const groupId = str(input, 'GroupId') ?? '';
        const userId = memberUserId(input);
        for (const m of store.memberships.values()) if (m.GroupId === groupId && m.UserId === userId) return { MembershipId: m.MembershipId, IdentityStoreId: store.id };
        throw notFound('GROUP_MEMBERSHIP', `${groupId}/${userId}`);
      }
      case 'DescribeGroupMembership': {
        const m = store.memberships.get(str(input, 'MembershipId') ?? '');
        if (m === undefined) throw notFound('GROUP_MEMBERSHIP', str(input, 'MembershipId') ?? '');
        return { IdentityStoreId: store.id, MembershipId: m.MembershipId, GroupId: m.GroupId, MemberId: { UserId: m.UserId } };
      }
      case 'ListGroupMemberships': {
        const group = this.group(store, str(input, 'GroupId'));
        const list = [...store.memberships.values()].filter((m) => m.GroupId === group.GroupId)
          .map((m) => ({ IdentityStoreId: store.id, MembershipId: m.MembershipId, GroupId: m.GroupId, MemberId: { UserId: m.UserId } }));
        const result = page(list, str(input, 'NextToken'), num(input, 'MaxResults'), 100, `memberships-${group.GroupId}`, invalidToken);
        return compact({ GroupMemberships: result.items, NextToken: result.nextToken });
      }
      case 'IsMemberInGroups': {
        const userId = memberUserId(input);
        const groupIds = strings(input, 'GroupIds');
        if (groupIds.length === 0 || groupIds.length > 100) throw validation('GroupIds must hold 1 to 100 group ids.');
        const results = groupIds.map((groupId) => ({
          GroupId: groupId,
          MemberId: { UserId: userId },
          MembershipExists: [...store.memberships.values()].some((m) => m.GroupId === groupId && m.UserId === userId),
        }));
        return { Results: results };
      }
      case 'DeleteGroupMembership': {
        const id = str(input, 'MembershipId') ?? '';
        if (!store.memberships.delete(id)) throw notFound('GROUP_MEMBERSHIP', id);
        return {};
      }
      default:
        throw new ApiError('UnknownOperationException', 400, `Unknown operation ${operation}`);
    }
  }

  user(store: IdentityStore, userId: string | undefined): JsonObject {
    const user = userId === undefined ? undefined : store.users.get(userId);
    if (user === undefined) throw notFound('USER', userId ?? '(none)');
    return user;
  }

  group(store: IdentityStore, groupId: string | undefined): JsonObject {
    const group = groupId === undefined ? undefined : store.groups.get(groupId);
    if (group === undefined) throw notFound('GROUP', groupId ?? '(none)');
    return group;
  }

  createUser(store: IdentityStore, input: JsonObject): string {
    const userName = str(input, 'UserName');
    if (userName === undefined || userName.length < 1 || userName.length > 128) throw validation('UserName must be 1-128 characters.');
    if (RESERVED_USER_NAMES.has(userName.toLowerCase())) throw validation(`UserName ${userName} is reserved.`);
    const name = obj(input, 'Name');
    if (str(input, 'DisplayName') === undefined) throw validation('DisplayName is required.');
    if (name === undefined || str(name, 'GivenName') === undefined || str(name, 'FamilyName') === undefined) throw validation('Name.GivenName and Name.FamilyName are required.');
    const emails = arr(input, 'Emails');
    if (emails.length > 1) throw validation('Emails may hold only one value.');
    for (const user of store.users.values()) {
      if (String(user.UserName).toLowerCase() === userName.toLowerCase()) throw conflict(`Duplicate UserName: ${userName}`);
    }
    const userId = ids.identityResource();
    const { IdentityStoreId: _ignored, ...attributes } = clone(input);
    store.users.set(userId, { ...attributes, UserId: userId });
    return userId;
  }

  createGroup(store: IdentityStore, input: JsonObject): string {
    const displayName = str(input, 'DisplayName');
    if (displayName === undefined || displayName.length === 0) throw validation('DisplayName is required.');
    for (const group of store.groups.values()) {
      if (String(group.DisplayName).toLowerCase() === displayName.toLowerCase()) throw conflict(`Duplicate GroupDisplayName: ${displayName}`);
    }
    const groupId = ids.identityResource();
    store.groups.set(groupId, compact({ GroupId: groupId, DisplayName: displayName, Description: str(input, 'Description') }));
    return groupId;
  }

  createMembership(store: IdentityStore, groupId: string | undefined, userId: string): string {
    this.group(store, groupId);
    this.user(store, userId);
    for (const m of store.memberships.values()) {
      if (m.GroupId === groupId && m.UserId === userId) throw conflict(`Member ${userId} already exists in group ${groupId ?? ''}`);
    }
    const membershipId = ids.identityResource();
    store.memberships.set(membershipId, { MembershipId: membershipId, GroupId: groupId ?? '', UserId: userId });
    return membershipId;
  }
}

function memberUserId(input: JsonObject): string {
  const userId = str(obj(input, 'MemberId') ?? {}, 'UserId');
  if (userId === undefined) throw validation('MemberId.UserId is required.');
  return userId;
}
