import { ConnectClient, DescribeInstanceCommand, DescribeUserCommand, ResourceNotFoundException, SearchUsersCommand, type User } from '@aws-sdk/client-connect';
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import {
  ConflictException,
  CreateGroupMembershipCommand,
  CreateUserCommand,
  DescribeUserCommand as DescribeIdentityCommand,
  GetGroupIdCommand,
  GetGroupMembershipIdCommand,
  GetUserIdCommand,
  IdentitystoreClient,
  IsMemberInGroupsCommand,
  ResourceNotFoundException as IdentityNotFound,
} from '@aws-sdk/client-identitystore';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CreateApplicationAssignmentCommand, DescribeApplicationAssignmentCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { mockClient } from 'aws-sdk-client-mock';
import { currentAbortSignal } from '../../shared/adapters/abort.js';

/**
 * The AWS services of the handler tests, behind aws-sdk-client-mock: small stateful models (Connect users, Identity
 * Store users, groups and memberships, the link table with its conditions) so that a batch goes the real adapters'
 * way, duplicates included. Tests override single commands with `.on(...)` where they need a failure.
 */
export const mocks = {
  connect: mockClient(ConnectClient),
  identity: mockClient(IdentitystoreClient),
  sso: mockClient(SSOAdminClient),
  sqs: mockClient(SQSClient),
  dynamodb: mockClient(DynamoDBClient),
};

const meta = { $metadata: {} };
const STORE = 'd-1234567890';
export const AGENTS = 'g-agents';

export interface IdentityRow {
  UserName: string;
  Email: string;
  CreatedAt: Date;
}

/** The state behind the mocks, reset before each test. */
export const state = {
  connectUsers: new Map<string, User>(),
  identities: new Map<string, IdentityRow>(),
  members: new Set<string>(),
  table: new Map<string, Record<string, AttributeValue>>(),
  /** Every call the models answered, with the abort signal of the work that made it (what the HTTP handler gets). */
  calls: [] as { command: string; signal?: AbortSignal }[],
  seq: 0,
};

/** A model of one command: records the call and the abort signal it carries, then answers. */
function model<I>(command: string, answer: (input: I) => unknown): (input: I) => Promise<unknown> {
  return async (input) => {
    state.calls.push({ command, signal: currentAbortSignal() });
    return answer(input);
  };
}

const notFound = (type: 'USER' | 'GROUP' | 'GROUP_MEMBERSHIP') => new IdentityNotFound({ message: 'not found', ResourceType: type, ...meta });
const conditionFailed = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', ...meta });
const keyOf = (key: Record<string, AttributeValue> | undefined) => `${key?.pk?.S}|${key?.sk?.S}`;
const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function identityBy(path: string, value: string): string | undefined {
  return [...state.identities].find(([, u]) => same(path === 'userName' ? u.UserName : u.Email, value))?.[0];
}

export function addConnectUser(user: User): void {
  if (user.Id) state.connectUsers.set(user.Id, user);
}

/** Resets every mock and its state, and installs the models. */
export function resetAws(): void {
  for (const mock of Object.values(mocks)) mock.reset();
  state.connectUsers.clear();
  state.identities.clear();
  state.members.clear();
  state.table.clear();
  state.calls.length = 0;

  mocks.connect.on(DescribeUserCommand).callsFake(model<{ UserId: string }>('DescribeUser', (input) => {
    const user = state.connectUsers.get(input.UserId);
    if (!user) throw new ResourceNotFoundException({ message: 'no such user', ...meta });
    return { User: user };
  }));
  // A SAML instance, as Identity Center sign-in needs: the Username is the sign-in name.
  mocks.connect.on(DescribeInstanceCommand).callsFake(model('DescribeInstance', () => ({ Instance: { IdentityManagementType: 'SAML' } })));
  mocks.connect.on(SearchUsersCommand).callsFake(model<{ SearchCriteria?: { StringCondition?: { Value?: string } } }>('SearchUsers', (input) => ({
    Users: [...state.connectUsers.values()].filter((u) => same(u.Username ?? '', input.SearchCriteria?.StringCondition?.Value ?? '')),
  })));

  installIdentityStore();
  mocks.sso.on(CreateApplicationAssignmentCommand).resolves({});
  mocks.sso.on(DescribeApplicationAssignmentCommand).resolves({});
  mocks.sqs.on(SendMessageCommand).resolves({ MessageId: 'dlq-1' });
  installLinkTable();
}

function installIdentityStore(): void {
  const { identity } = mocks;
  identity.on(GetUserIdCommand).callsFake(model<{ AlternateIdentifier: { UniqueAttribute: { AttributePath: string; AttributeValue: string } } }>('GetUserId', (input) => {
    const { AttributePath, AttributeValue } = input.AlternateIdentifier.UniqueAttribute;
    const id = identityBy(AttributePath, AttributeValue);
    if (!id) throw notFound('USER');
    return { UserId: id, IdentityStoreId: STORE };
  }));
  identity.on(CreateUserCommand).callsFake(model<{ UserName: string; Emails: { Value: string }[] }>('CreateUser', (input) => {
    const email = input.Emails[0]?.Value ?? '';
    if (identityBy('userName', input.UserName) || identityBy('emails.value', email)) {
      throw new ConflictException({ message: 'Duplicate', Reason: 'UNIQUENESS_CONSTRAINT_VIOLATION', ...meta });
    }
    const id = `u-${++state.seq}`;
    state.identities.set(id, { UserName: input.UserName, Email: email, CreatedAt: new Date() });
    return { UserId: id, IdentityStoreId: STORE };
  }));
  identity.on(DescribeIdentityCommand).callsFake(model<{ UserId: string }>('DescribeIdentity', (input) => {
    const user = state.identities.get(input.UserId);
    if (!user) throw notFound('USER');
    return { UserId: input.UserId, IdentityStoreId: STORE, UserName: user.UserName, Emails: [{ Value: user.Email, Primary: true }], CreatedAt: user.CreatedAt };
  }));
  identity.on(GetGroupIdCommand).resolves({ GroupId: AGENTS, IdentityStoreId: STORE });
  identity.on(IsMemberInGroupsCommand).callsFake(model<{ MemberId: { UserId: string }; GroupIds: string[] }>('IsMemberInGroups', (input) => {
    if (!state.identities.has(input.MemberId.UserId)) throw notFound('USER');
    return { Results: input.GroupIds.map((g) => ({ GroupId: g, MembershipExists: state.members.has(`${g}|${input.MemberId.UserId}`) })) };
  }));
  identity.on(CreateGroupMembershipCommand).callsFake(model<{ GroupId: string; MemberId: { UserId: string } }>('CreateGroupMembership', (input) => {
    const key = `${input.GroupId}|${input.MemberId.UserId}`;
    if (state.members.has(key)) throw new ConflictException({ message: 'Member already exists', Reason: 'UNIQUENESS_CONSTRAINT_VIOLATION', ...meta });
    state.members.add(key);
    return { MembershipId: `m-${key}`, IdentityStoreId: STORE };
  }));
  identity.on(GetGroupMembershipIdCommand).callsFake(model<{ GroupId: string; MemberId: { UserId: string } }>('GetGroupMembershipId', (input) => {
    const key = `${input.GroupId}|${input.MemberId.UserId}`;
    if (!state.members.has(key)) throw notFound('GROUP_MEMBERSHIP');
    return { MembershipId: `m-${key}`, IdentityStoreId: STORE };
  }));
}

type Values = Record<string, AttributeValue>;

/** The link table's items and the conditions the adapter writes (adapters/links.ts), as DynamoDB evaluates them. */
function installLinkTable(): void {
  const { dynamodb } = mocks;
  dynamodb.on(GetItemCommand).callsFake(model<{ Key: Values }>('GetItem', (input) => ({ Item: state.table.get(keyOf(input.Key)) })));
  dynamodb.on(UpdateItemCommand).callsFake(
    model<{ Key: Values; UpdateExpression: string; ExpressionAttributeValues?: Values; ExpressionAttributeNames?: Record<string, string> }>('UpdateItem', (input) => {
      const key = keyOf(input.Key);
      const stored = state.table.get(key);
      const item = stored ?? { ...input.Key };
      const values = input.ExpressionAttributeValues ?? {};
      const update = input.UpdateExpression;
      const save = (next: Values) => {
        state.table.set(key, next);
        return { Attributes: next };
      };
      const names = new Set(values[':ids']?.SS ?? []);
      const withoutClaims = (next: Values): Values => {
        const left = (next.claims?.SS ?? []).filter((id) => !names.has(id));
        const { claims: _c, ...rest } = next;
        return left.length ? { ...rest, claims: { SS: left } } : rest;
      };
      if (update === 'ADD claims :ids') {
        if (item.deletedAt) throw conditionFailed();
        return save({ ...item, claims: { SS: [...new Set([...(item.claims?.SS ?? []), ...names])] } });
      }
      if (update === 'DELETE claims :ids') return save(withoutClaims(item));
      if (update === 'REMOVE deprovisionFailure DELETE claims :ids') {
        if (!item.claims?.SS?.includes(values[':id']?.S ?? '')) throw conditionFailed();
        const { deprovisionFailure: _d, ...rest } = item;
        return save(withoutClaims(rest));
      }
      const failureAttr = input.ExpressionAttributeNames?.['#f'] ?? 'failure';
      if (update === 'SET #f = :f') {
        if (item[failureAttr]?.M?.key?.S === values[':key']?.S || (item.deletedAt && failureAttr !== 'deprovisionFailure')) throw conditionFailed();
        return save({ ...item, [failureAttr]: values[':f'] ?? { M: {} } });
      }
      if (update.startsWith('SET #f.attempts')) {
        const known = item[failureAttr]?.M;
        if (!known || known.key?.S !== values[':key']?.S || (item.deletedAt && failureAttr !== 'deprovisionFailure')) throw conditionFailed();
        return save({ ...item, [failureAttr]: { M: { ...known, attempts: { N: String(Number(known.attempts?.N ?? '1') + 1) }, lastAt: values[':at'] ?? { S: '' } } } });
      }
      if (update === 'REMOVE #f') {
        if (!item[failureAttr]) throw conditionFailed();
        const { [failureAttr]: _f, ...rest } = item;
        return save(rest);
      }
      if (update.includes('list_append')) {
        if (item.identityUserId) throw conditionFailed();
        return save({ ...item, creationAttempts: { L: [...(item.creationAttempts?.L ?? []), ...(values[':at']?.L ?? [])] } });
      }
      if (update.startsWith('SET identityUserId')) {
        if (item.deletedAt || (item.identityUserId && item.identityUserId.S !== values[':id']?.S)) throw conditionFailed();
        const { creationAttempts: _forgotten, failure: _fixed, ...rest } = item;
        const created = values[':true'] ?? item.created ?? values[':false'];
        return save({
          ...rest,
          identityUserId: values[':id'] ?? { S: '' },
          groupIds: values[':groups'] ?? { L: [] },
          updatedAt: values[':now'] ?? { S: '' },
          createdAt: item.createdAt ?? values[':created'] ?? { S: '' },
          ...(created && { created }),
        });
      }
      if (update.startsWith('SET connectUserId')) {
        if (item.connectUserId && item.connectUserId.S !== values[':me']?.S) throw conditionFailed();
        const groupIds = [...new Set([...(item.groupIds?.SS ?? []), ...(values[':groups']?.SS ?? [])])];
        return save({
          ...item,
          connectUserId: values[':me'] ?? { S: '' },
          createdAt: item.createdAt ?? values[':now'] ?? { S: '' },
          ...(values[':true'] && { created: values[':true'] }),
          ...(groupIds.length && { groupIds: { SS: groupIds } }),
        });
      }
      if (update.startsWith('REMOVE identityUserId')) {
        if (!stored || item.identityUserId?.S !== values[':id']?.S) throw conditionFailed();
        const { identityUserId: _i, groupIds: _g, created: _c, createdAt: _ca, updatedAt: _u, deprovisionFailure: _d, ...rest } = item;
        return save(withoutClaims(rest));
      }
      if (update === 'REMOVE connectUserId, groupIds') {
        if (!stored || item.connectUserId?.S !== values[':me']?.S) throw conditionFailed();
        const { connectUserId: _released, groupIds: _groups, ...rest } = item;
        return save(rest);
      }
      if (update.startsWith('SET deletedAt')) {
        const { failure: _f, updateFailure: _u, creationAttempts: _a, ...rest } = item;
        return save({ ...rest, deletedAt: item.deletedAt ?? values[':at'] ?? { S: '' }, expiresAt: values[':exp'] ?? { N: '0' } });
      }
      throw new Error(`the link table model does not know this update: ${update}`);
    }),
  );
  dynamodb.on(DeleteItemCommand).callsFake(model<{ Key: Values; ExpressionAttributeValues: Values }>('DeleteItem', (input) => {
    const key = keyOf(input.Key);
    const holder = state.table.get(key)?.connectUserId?.S;
    if (holder !== undefined && holder !== input.ExpressionAttributeValues[':me']?.S) throw conditionFailed();
    state.table.delete(key);
    return {};
  }));
}

/** The links written, by Connect user id. */
export function links(): Map<string, { identityUserId?: string; created: boolean; groupIds: string[] }> {
  const out = new Map<string, { identityUserId?: string; created: boolean; groupIds: string[] }>();
  for (const item of state.table.values()) {
    const sk = item.sk?.S ?? '';
    if (!sk.startsWith('user#') || !item.identityUserId) continue;
    out.set(sk.slice(5), {
      identityUserId: item.identityUserId.S,
      created: item.created?.BOOL === true,
      groupIds: (item.groupIds?.L ?? []).map((g) => g.S ?? ''),
    });
  }
  return out;
}
