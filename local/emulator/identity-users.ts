/** Identity Store user operations: CreateUser, DescribeUser, GetUserId, ListUsers, UpdateUser, DeleteUser. */
import type { Json, JsonObject } from './core.js';
import type { StoreContext, StoreOperation } from './identity-store.js';
import { clone, compact, ids, isObject, num, obj, page, str } from './core.js';
import { checkEntity, checkNotReserved, missing, notFound, uniqueness, validation } from './identity-rules.js';

const primaryEmail = (user: JsonObject): string | undefined => {
  const first = Array.isArray(user.Emails) ? user.Emails.find(isObject) : undefined;
  return first === undefined ? undefined : str(first, 'Value');
};

/** The multi-valued and text attributes of a user (the User members CreateUser takes). */
const USER_MEMBERS = ['UserName', 'Name', 'DisplayName', 'NickName', 'ProfileUrl', 'Emails', 'Addresses', 'PhoneNumbers', 'UserType', 'Title',
  'PreferredLanguage', 'Locale', 'Timezone', 'Photos', 'Website', 'Birthdate', 'Roles', 'Extensions'];
const NAME_FIELDS = ['Formatted', 'FamilyName', 'GivenName', 'MiddleName', 'HonorificPrefix', 'HonorificSuffix'];

/**
 * Checks a whole user: the model's constraints (CreateUser's shape), a name that is not reserved, and what Identity
 * Center requires beyond the model: DisplayName, Name.GivenName, Name.FamilyName and an e-mail (unique, non-null).
 */
function checkUser(context: StoreContext, user: JsonObject): void {
  checkEntity('CreateUser', context.store.id, user);
  if (str(user, 'UserName') === undefined) throw missing('userName');
  checkNotReserved(str(user, 'UserName'), 'user');
  if (str(user, 'DisplayName') === undefined) throw missing('displayName');
  const name = obj(user, 'Name');
  if (name === undefined) throw missing('name');
  if (str(name, 'GivenName') === undefined) throw missing('name.givenName');
  if (str(name, 'FamilyName') === undefined) throw missing('name.familyName');
  if (primaryEmail(user) === undefined) throw validation('A user must have an e-mail address: IAM Identity Center requires a unique, non-null e-mail.');
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

/** CreateUser's semantics; also used for seeding (which must follow the same rules). Returns the new UserId. */
export function createUser(context: StoreContext, input: JsonObject): string {
  const user: JsonObject = {};
  for (const member of USER_MEMBERS) if (input[member] !== undefined && input[member] !== null) user[member] = clone(input[member]);
  checkUser(context, user);
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

/**
 * An extension path (`aws:identitystore:enterprise.employeeNumber`, the model's AttributePath allows up to three more
 * parts): sets or removes that attribute of the extension; an extension left empty is removed.
 */
function applyExtension(user: JsonObject, path: string, value: Json | undefined): void {
  const dot = path.indexOf('.', path.lastIndexOf(':'));
  const extension = dot < 0 ? path : path.slice(0, dot);
  const parts = dot < 0 ? [] : path.slice(dot + 1).split('.');
  const extensions = isObject(user.Extensions) ? user.Extensions : {};
  const remove = value === undefined || value === null;
  if (parts.length === 0) {
    if (remove) delete extensions[extension];
    else extensions[extension] = clone(value);
  } else {
    const root = isObject(extensions[extension]) ? extensions[extension] : {};
    let node: JsonObject = root;
    for (const part of parts.slice(0, -1)) {
      const next = isObject(node[part]) ? node[part] : {};
      node[part] = next;
      node = next;
    }
    const last = parts[parts.length - 1] ?? '';
    if (remove) delete node[last];
    else node[last] = clone(value);
    if (Object.keys(root).length === 0) delete extensions[extension];
    else extensions[extension] = root;
  }
  if (Object.keys(extensions).length === 0) delete user.Extensions;
  else user.Extensions = extensions;
}

/** One `AttributePath` of UpdateUser: the User members in camelCase, `name.<part>` and extension paths. */
function applyOperation(user: JsonObject, path: string, value: Json | undefined): void {
  if (path.includes(':')) {
    applyExtension(user, path, value);
    return;
  }
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
  if (!USER_MEMBERS.includes(member) || member === 'Extensions') {
    throw validation('The attribute path is not supported.');
  }
  if (remove) delete user[member];
  else user[member] = clone(value);
}

export const userOperations: Record<string, StoreOperation> = {
  CreateUser: (context, input) => ({ UserId: createUser(context, input), IdentityStoreId: context.store.id }),

  DescribeUser: (context, input) => ({ ...clone(readUser(context, str(input, 'UserId') ?? '')), IdentityStoreId: context.store.id }),

  GetUserId: (context, input) => {
    // The model checked the union: exactly one of ExternalId and UniqueAttribute, each well formed.
    const attribute = obj(obj(input, 'AlternateIdentifier') ?? {}, 'UniqueAttribute');
    // Users created through the API carry no ExternalIds, so an ExternalId finds nobody.
    if (attribute === undefined) throw notFound('USER');
    const path = str(attribute, 'AttributePath');
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
    const filter = Array.isArray(input.Filters) ? input.Filters.find(isObject) : undefined;
    if (filter !== undefined && str(filter, 'AttributePath') !== 'UserName') throw validation('ListUsers can only filter on UserName.');
    const wanted = filter === undefined ? undefined : context.fold(str(filter, 'AttributeValue') ?? '');
    const users = context.store.users.readAll(context.now).filter((u) => wanted === undefined || context.fold(str(u, 'UserName') ?? '') === wanted);
    const result = page(users.map((u) => ({ ...clone(u), IdentityStoreId: context.store.id })), str(input, 'NextToken'), num(input, 'MaxResults'), 100,
      `users-${context.store.id}`, validation('The pagination token is invalid.'), { short: context.behaviour.pages === 'short' });
    return compact({ Users: result.items, NextToken: result.nextToken });
  },

  UpdateUser: (context, input) => {
    const userId = str(input, 'UserId') ?? '';
    const operations = Array.isArray(input.Operations) ? input.Operations.filter(isObject) : [];
    const current = context.store.users.get(userId);
    if (current === undefined) throw notFound('USER', userId);
    const updated = clone(current);
    for (const operation of operations) applyOperation(updated, str(operation, 'AttributePath') ?? '', operation.AttributeValue);
    checkUser(context, updated);
    checkUnique(context, updated, userId);
    context.store.users.set(userId, { ...updated, UpdatedAt: context.now / 1000 }, context.now);
    return {};
  },

  DeleteUser: (context, input) => {
    const userId = str(input, 'UserId') ?? '';
    if (!context.store.users.delete(userId, context.now)) throw notFound('USER', userId);
    for (const m of context.store.memberships.values()) if (m.UserId === userId) context.store.memberships.delete(m.MembershipId, context.now);
    return {};
  },
};
