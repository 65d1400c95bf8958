/** Identity Store user operations: CreateUser, DescribeUser, GetUserId, ListUsers, UpdateUser, DeleteUser. */
import type { Json, JsonObject } from './core.js';
import type { StoreContext, StoreOperation } from './identity-store.js';
import { clone, compact, ids, isObject, num, obj, page, str } from './core.js';
import { NAME_FIELDS, USER_LIST_FIELDS, USER_TEXT_FIELDS, checkObjectText, notFound, rules, uniqueness, validation } from './identity-rules.js';

const primaryEmail = (user: JsonObject): string | undefined => {
  const first = Array.isArray(user.Emails) ? user.Emails.find(isObject) : undefined;
  return first === undefined ? undefined : str(first, 'Value');
};

/**
 * Checks a whole user as Identity Center requires it: model patterns, and DisplayName, Name.GivenName,
 * Name.FamilyName and exactly one e-mail present (Identity Center needs unique, non-null user names and e-mails).
 */
function checkUser(user: JsonObject): void {
  rules.userName(user.UserName);
  rules.text(user.DisplayName, 'displayName', true);
  const name = user.Name;
  if (!isObject(name)) throw validation("1 validation error detected: Value at 'name' failed to satisfy constraint: Member must not be null");
  checkObjectText(name, 'name');
  rules.text(name.GivenName, 'name.givenName', true);
  rules.text(name.FamilyName, 'name.familyName', true);
  for (const field of USER_TEXT_FIELDS) rules.text(user[field], `${field[0]?.toLowerCase() ?? ''}${field.slice(1)}`);
  for (const [field, max] of Object.entries(USER_LIST_FIELDS)) {
    const member = `${field[0]?.toLowerCase() ?? ''}${field.slice(1)}`;
    if (user[field] === undefined) continue;
    for (const item of rules.listSize(user[field], member, 1, max)) checkObjectText(item, member);
  }
  if (user.Emails === undefined) throw validation('A user must have an e-mail address: IAM Identity Center requires a unique, non-null e-mail.');
  if (primaryEmail(user) === undefined) rules.text(undefined, 'emails.value', true);
}

/** User names and e-mails are unique in a store (checked against every write, as AWS does, whatever the read lag). */
function checkUnique(context: StoreContext, user: JsonObject, exceptUserId?: string): void {
  const { fold } = context;
  const userName = fold(str(user, 'UserName') ?? '');
  const email = primaryEmail(user);
  for (const other of context.store.users.values()) {
    if (other.UserId === exceptUserId) continue;
    if (fold(str(other, 'UserName') ?? '') === userName) throw uniqueness();
    const otherEmail = primaryEmail(other);
    if (email !== undefined && otherEmail !== undefined && fold(otherEmail) === fold(email)) throw uniqueness();
  }
}

const KNOWN_MEMBERS = ['UserName', 'Name', ...USER_TEXT_FIELDS, ...Object.keys(USER_LIST_FIELDS)];

/** CreateUser's semantics; also used for seeding (which must follow the same rules). Returns the new UserId. */
export function createUser(context: StoreContext, input: JsonObject): string {
  const user: JsonObject = {};
  for (const member of KNOWN_MEMBERS) if (input[member] !== undefined && input[member] !== null) user[member] = clone(input[member]);
  checkUser(user);
  checkUnique(context, user);
  const userId = ids.identityResource(context.store.id);
  const at = context.now / 1000;
  context.store.users.set(userId, { ...user, UserId: userId, UserStatus: 'ENABLED', CreatedAt: at, UpdatedAt: at }, context.now);
  return userId;
}

/** The user a reader sees (read lag applies); ResourceNotFoundException USER otherwise. */
function readUser(context: StoreContext, userId: string): JsonObject {
  const user = context.store.users.read(userId, context.now);
  if (user === undefined) throw notFound('USER', userId);
  return user;
}

/** One `AttributePath` of UpdateUser: the User members in camelCase, and `name.<part>`. */
function applyOperation(user: JsonObject, path: string, value: Json | undefined): void {
  const remove = value === undefined || value === null;
  const [head = '', sub, extra] = path.split('.');
  const member = `${head[0]?.toUpperCase() ?? ''}${head.slice(1)}`;
  if (extra !== undefined || head !== `${member[0]?.toLowerCase() ?? ''}${member.slice(1)}`) throw validation('The attribute path is not supported.');
  if (sub !== undefined) {
    const part = `${sub[0]?.toUpperCase() ?? ''}${sub.slice(1)}`;
    if (member !== 'Name' || !NAME_FIELDS.includes(part)) throw validation('The attribute path is not supported.');
    const name = isObject(user.Name) ? user.Name : {};
    if (remove) delete name[part];
    else name[part] = value;
    user.Name = name;
    return;
  }
  if (member !== 'UserName' && member !== 'Name' && !USER_TEXT_FIELDS.includes(member) && USER_LIST_FIELDS[member] === undefined) {
    throw validation('The attribute path is not supported.');
  }
  if (remove) delete user[member];
  else user[member] = clone(value);
}

export const userOperations: Record<string, StoreOperation> = {
  CreateUser: (context, input) => ({ UserId: createUser(context, input), IdentityStoreId: context.store.id }),

  DescribeUser: (context, input) => ({ ...clone(readUser(context, rules.resourceId(input.UserId, 'userId'))), IdentityStoreId: context.store.id }),

  GetUserId: (context, input) => {
    const identifier = obj(input, 'AlternateIdentifier');
    if (identifier === undefined) throw validation("1 validation error detected: Value at 'alternateIdentifier' failed to satisfy constraint: Member must not be null");
    // Users created through the API carry no ExternalIds, so an ExternalId finds nobody.
    if (identifier.ExternalId !== undefined) throw notFound('USER');
    const attribute = obj(identifier, 'UniqueAttribute');
    if (attribute === undefined) throw validation('AlternateIdentifier must hold ExternalId or UniqueAttribute.');
    const path = rules.attributePath(attribute.AttributePath, 'alternateIdentifier.uniqueAttribute.attributePath');
    if (path !== 'userName' && path !== 'emails.value') throw validation('For users, the unique attribute path must be userName or emails.value.');
    if (typeof attribute.AttributeValue !== 'string') throw validation('The unique attribute value must be a string.');
    const wanted = context.fold(attribute.AttributeValue);
    const found = context.store.users.readAll(context.now).find((user) => {
      const candidate = path === 'userName' ? str(user, 'UserName') : primaryEmail(user);
      return candidate !== undefined && context.fold(candidate) === wanted;
    });
    if (found === undefined) throw notFound('USER');
    return { UserId: String(found.UserId), IdentityStoreId: context.store.id };
  },

  ListUsers: (context, input) => {
    // Filtering by UserName is deprecated (GetUserId replaces it) but still answered.
    const filter = rules.listSize(input.Filters, 'filters', 0, 1).find(isObject);
    if (filter !== undefined && rules.attributePath(filter.AttributePath, 'filters.member.attributePath') !== 'UserName') {
      throw validation('ListUsers can only filter on UserName.');
    }
    const wanted = filter === undefined ? undefined : context.fold(String(rules.text(filter.AttributeValue, 'filters.member.attributeValue', true)));
    const users = context.store.users.readAll(context.now).filter((u) => wanted === undefined || context.fold(str(u, 'UserName') ?? '') === wanted);
    const result = page(users.map((u) => ({ ...clone(u), IdentityStoreId: context.store.id })), rules.nextToken(input.NextToken), num(input, 'MaxResults'), 100,
      `users-${context.store.id}`, validation('The pagination token is invalid.'), { short: context.behaviour.pages === 'short' });
    return compact({ Users: result.items, NextToken: result.nextToken });
  },

  UpdateUser: (context, input) => {
    const userId = rules.resourceId(input.UserId, 'userId');
    const operations = rules.listSize(input.Operations, 'operations', 1, 100);
    const current = context.store.users.get(userId);
    if (current === undefined) throw notFound('USER', userId);
    const updated = clone(current);
    operations.forEach((operation, index) => {
      if (!isObject(operation)) throw validation('Each operation must be an object.');
      applyOperation(updated, rules.attributePath(operation.AttributePath, `operations.${index + 1}.member.attributePath`), operation.AttributeValue);
    });
    checkUser(updated);
    checkUnique(context, updated, userId);
    context.store.users.set(userId, { ...updated, UpdatedAt: context.now / 1000 }, context.now);
    return {};
  },

  DeleteUser: (context, input) => {
    const userId = rules.resourceId(input.UserId, 'userId');
    if (!context.store.users.delete(userId, context.now)) throw notFound('USER', userId);
    for (const m of context.store.memberships.values()) if (m.UserId === userId) context.store.memberships.delete(m.MembershipId, context.now);
    return {};
  },
};
