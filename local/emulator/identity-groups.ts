/** Identity Store group and membership operations. */
import type { JsonObject } from './core.js';
import type { Membership, StoreContext, StoreOperation } from './identity-store.js';
import { clone, compact, ids, isObject, num, obj, page, str, strings } from './core.js';
import { checkEntity, checkNotReserved, missing, notFound, uniqueness, validation } from './identity-rules.js';

const invalidToken = () => validation('The pagination token is invalid.');

/** `MemberId` is a union with one member, `UserId` (the model checked it). */
const memberUserId = (input: JsonObject): string => str(obj(input, 'MemberId') ?? {}, 'UserId') ?? '';

function checkUniqueGroupName(context: StoreContext, displayName: string, exceptGroupId?: string): void {
  const wanted = context.fold(displayName);
  for (const group of context.store.groups.values()) {
    if (group.GroupId !== exceptGroupId && context.fold(str(group, 'DisplayName') ?? '') === wanted) throw uniqueness();
  }
}

/** CreateGroup's semantics; also used for seeding. Returns the new GroupId. */
export function createGroup(context: StoreContext, input: JsonObject): string {
  const displayName = str(input, 'DisplayName');
  const description = str(input, 'Description');
  checkEntity('CreateGroup', context.store.id, compact({ DisplayName: displayName, Description: description }));
  if (displayName === undefined) throw missing('displayName');
  checkNotReserved(displayName, 'group');
  checkUniqueGroupName(context, displayName);
  const groupId = ids.identityResource(context.store.id);
  const at = context.now / 1000;
  context.store.groups.set(groupId, compact({ GroupId: groupId, DisplayName: displayName, Description: description, CreatedAt: at, UpdatedAt: at }), context.now);
  return groupId;
}

/** CreateGroupMembership's semantics; also used for seeding. Writes check the latest state, whatever the read lag. */
export function createMembership(context: StoreContext, groupId: string, userId: string): string {
  const { store } = context;
  if (!store.groups.has(groupId)) throw notFound('GROUP', groupId);
  if (!store.users.has(userId)) throw notFound('USER', userId);
  if (store.memberships.values().some((m) => m.GroupId === groupId && m.UserId === userId)) throw uniqueness();
  const membershipId = ids.identityResource(store.id);
  store.memberships.set(membershipId, { MembershipId: membershipId, GroupId: groupId, UserId: userId, CreatedAt: context.now / 1000 }, context.now);
  return membershipId;
}

const readGroup = (context: StoreContext, groupId: string): JsonObject => {
  const group = context.store.groups.read(groupId, context.now);
  if (group === undefined) throw notFound('GROUP', groupId);
  return group;
};

/** Under `unknownMember: not-found`, a user or group a reader cannot see is ResourceNotFoundException. */
function checkKnown(context: StoreContext, userId: string, groupIds: string[]): boolean {
  const unknownUser = context.store.users.read(userId, context.now) === undefined;
  const unknownGroup = groupIds.find((id) => context.store.groups.read(id, context.now) === undefined);
  if (context.behaviour.unknownMember === 'not-found') {
    if (unknownUser) throw notFound('USER', userId);
    if (unknownGroup !== undefined) throw notFound('GROUP', unknownGroup);
  }
  return !unknownUser;
}

const membershipJson = (context: StoreContext, m: Membership): JsonObject =>
  ({ IdentityStoreId: context.store.id, MembershipId: m.MembershipId, GroupId: m.GroupId, MemberId: { UserId: m.UserId } });

const visibleMemberships = (context: StoreContext): Membership[] => context.store.memberships.readAll(context.now);

export const groupOperations: Record<string, StoreOperation> = {
  CreateGroup: (context, input) => ({ GroupId: createGroup(context, input), IdentityStoreId: context.store.id }),

  DescribeGroup: (context, input) => ({ ...clone(readGroup(context, str(input, 'GroupId') ?? '')), IdentityStoreId: context.store.id }),

  GetGroupId: (context, input) => {
    // The model checked the union; groups created through the API carry no ExternalIds, so an ExternalId finds nobody.
    const attribute = obj(obj(input, 'AlternateIdentifier') ?? {}, 'UniqueAttribute');
    if (attribute === undefined) throw notFound('GROUP');
    if (str(attribute, 'AttributePath') !== 'displayName') {
      throw validation('For groups, the only unique attribute path is displayName.');
    }
    if (typeof attribute.AttributeValue !== 'string') throw validation('The unique attribute value must be a string.');
    const wanted = context.fold(attribute.AttributeValue);
    const found = context.store.groups.readAll(context.now).find((g) => context.fold(str(g, 'DisplayName') ?? '') === wanted);
    if (found === undefined) throw notFound('GROUP');
    return { GroupId: String(found.GroupId), IdentityStoreId: context.store.id };
  },

  ListGroups: (context, input) => {
    const filter = Array.isArray(input.Filters) ? input.Filters.find(isObject) : undefined;
    if (filter !== undefined && str(filter, 'AttributePath') !== 'DisplayName') throw validation('ListGroups can only filter on DisplayName.');
    const wanted = filter === undefined ? undefined : context.fold(str(filter, 'AttributeValue') ?? '');
    const groups = context.store.groups.readAll(context.now).filter((g) => wanted === undefined || context.fold(str(g, 'DisplayName') ?? '') === wanted);
    const result = page(groups.map((g) => ({ ...clone(g), IdentityStoreId: context.store.id })), str(input, 'NextToken'), num(input, 'MaxResults'), 100,
      `groups-${context.store.id}`, invalidToken(), { short: context.behaviour.pages === 'short' });
    return compact({ Groups: result.items, NextToken: result.nextToken });
  },

  UpdateGroup: (context, input) => {
    const groupId = str(input, 'GroupId') ?? '';
    const operations = Array.isArray(input.Operations) ? input.Operations.filter(isObject) : [];
    const current = context.store.groups.get(groupId);
    if (current === undefined) throw notFound('GROUP', groupId);
    const updated = clone(current);
    for (const operation of operations) {
      const path = str(operation, 'AttributePath');
      if (path === 'displayName') updated.DisplayName = operation.AttributeValue ?? null;
      else if (path === 'description') updated.Description = operation.AttributeValue ?? null;
      else throw validation('The attribute path is not supported.');
    }
    if (typeof updated.DisplayName !== 'string') throw missing('displayName');
    checkEntity('CreateGroup', context.store.id, compact({ DisplayName: updated.DisplayName, Description: updated.Description ?? undefined }));
    checkNotReserved(updated.DisplayName, 'group');
    checkUniqueGroupName(context, String(updated.DisplayName), groupId);
    context.store.groups.set(groupId, compact({ ...updated, Description: updated.Description ?? undefined, UpdatedAt: context.now / 1000 }), context.now);
    return {};
  },

  DeleteGroup: (context, input) => {
    const groupId = str(input, 'GroupId') ?? '';
    if (!context.store.groups.delete(groupId, context.now)) throw notFound('GROUP', groupId);
    for (const m of context.store.memberships.values()) if (m.GroupId === groupId) context.store.memberships.delete(m.MembershipId, context.now);
    return {};
  },

  CreateGroupMembership: (context, input) => ({
    MembershipId: createMembership(context, str(input, 'GroupId') ?? '', memberUserId(input)),
    IdentityStoreId: context.store.id,
  }),

  GetGroupMembershipId: (context, input) => {
    const groupId = str(input, 'GroupId') ?? '';
    const userId = memberUserId(input);
    checkKnown(context, userId, [groupId]);
    const found = visibleMemberships(context).find((m) => m.GroupId === groupId && m.UserId === userId);
    if (found === undefined) throw notFound('GROUP_MEMBERSHIP');
    return { MembershipId: found.MembershipId, IdentityStoreId: context.store.id };
  },

  DescribeGroupMembership: (context, input) => {
    const membershipId = str(input, 'MembershipId') ?? '';
    const found = context.store.memberships.read(membershipId, context.now);
    if (found === undefined) throw notFound('GROUP_MEMBERSHIP', membershipId);
    return membershipJson(context, found);
  },

  ListGroupMemberships: (context, input) => {
    const groupId = str(input, 'GroupId') ?? '';
    readGroup(context, groupId);
    const list = visibleMemberships(context).filter((m) => m.GroupId === groupId).map((m) => membershipJson(context, m));
    const result = page(list, str(input, 'NextToken'), num(input, 'MaxResults'), 100, `memberships-${groupId}`, invalidToken(), { short: context.behaviour.pages === 'short' });
    return compact({ GroupMemberships: result.items, NextToken: result.nextToken });
  },

  ListGroupMembershipsForMember: (context, input) => {
    const userId = memberUserId(input);
    checkKnown(context, userId, []);
    const list = visibleMemberships(context).filter((m) => m.UserId === userId).map((m) => membershipJson(context, m));
    const result = page(list, str(input, 'NextToken'), num(input, 'MaxResults'), 100, `member-of-${userId}`, invalidToken(), { short: context.behaviour.pages === 'short' });
    return compact({ GroupMemberships: result.items, NextToken: result.nextToken });
  },

  IsMemberInGroups: (context, input) => {
    const userId = memberUserId(input);
    const groupIds = strings(input, 'GroupIds');
    checkKnown(context, userId, groupIds);
    const memberships = visibleMemberships(context);
    return {
      Results: groupIds.map((groupId) => ({
        GroupId: groupId, MemberId: { UserId: userId }, MembershipExists: memberships.some((m) => m.GroupId === groupId && m.UserId === userId),
      })),
    };
  },

  DeleteGroupMembership: (context, input) => {
    const membershipId = str(input, 'MembershipId') ?? '';
    if (!context.store.memberships.delete(membershipId, context.now)) throw notFound('GROUP_MEMBERSHIP', membershipId);
    return {};
  },
};
