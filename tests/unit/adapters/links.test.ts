import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  ProvisionedThroughputExceededException,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { linkStoreAdapter } from '../../../shared/adapters/links.js';
import type { Link, UserRecord } from '../../../shared/core/ports/index.js';
import { rejection } from '../../support/core.js';

const TABLE = 'connect-sso-sync-dev-links';
const mock = mockClient(DynamoDBClient);
const links = linkStoreAdapter(new DynamoDBClient({ region: 'us-east-1', maxAttempts: 1 }), TABLE);
const meta = { $metadata: {} };
const conditionFailed = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', ...meta });

const LINK: Link = {
  instanceId: 'i-1',
  connectUserId: 'c-1',
  identityUserId: 'u-1',
  created: true,
  groupIds: ['g-1', 'g-2'],
  createdAt: '2026-11-28T09:15:00.000Z',
  updatedAt: '2026-11-28T09:16:00.000Z',
};
const ITEM = {
  pk: { S: 'i-1' },
  sk: { S: 'user#c-1' },
  identityUserId: { S: 'u-1' },
  created: { BOOL: true },
  groupIds: { L: [{ S: 'g-1' }, { S: 'g-2' }] },
  createdAt: { S: LINK.createdAt },
  updatedAt: { S: LINK.updatedAt },
};

beforeEach(() => mock.reset());

describe('link store adapter: get', () => {
  it('reads the link item consistently and maps it', async () => {
    mock.on(GetItemCommand).resolves({ Item: ITEM });

    expect(await links.get('i-1', 'c-1')).toEqual({ connectUserId: 'c-1', link: LINK });
    expect(mock.commandCalls(GetItemCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Key: { pk: { S: 'i-1' }, sk: { S: 'user#c-1' } },
      ConsistentRead: true,
    });
  });

  it('answers an empty record without an item, and for an item holding only creation attempts', async () => {
    mock
      .on(GetItemCommand)
      .resolvesOnce({})
      .resolvesOnce({ Item: { pk: { S: 'i-1' }, sk: { S: 'user#c-1' }, creationAttempts: { L: [{ S: LINK.createdAt }] } } });

    expect(await links.get('i-1', 'c-1')).toEqual({ connectUserId: 'c-1' });
    expect(await links.get('i-1', 'c-1')).toEqual({ connectUserId: 'c-1' });
  });
});

describe('link store adapter: put', () => {
  it('writes the link only while it names no other identity, and forgets the creation attempts', async () => {
    mock.on(UpdateItemCommand).resolves({});

    await links.put(LINK);

    const input = mock.commandCalls(UpdateItemCommand)[0]?.args[0].input;
    expect(input).toMatchObject({
      TableName: TABLE,
      Key: { pk: { S: 'i-1' }, sk: { S: 'user#c-1' } },
      ConditionExpression: '(attribute_not_exists(identityUserId) OR identityUserId = :id) AND attribute_not_exists(deletedAt)',
      ExpressionAttributeValues: {
        ':id': { S: 'u-1' },
        ':groups': { L: [{ S: 'g-1' }, { S: 'g-2' }] },
        ':now': { S: LINK.updatedAt },
        ':created': { S: LINK.createdAt },
        ':true': { BOOL: true },
      },
    });
    expect(input?.UpdateExpression).toContain('createdAt = if_not_exists(createdAt, :created)');
    expect(input?.UpdateExpression).toContain('created = :true');
    expect(input?.UpdateExpression).toMatch(/REMOVE creationAttempts, failure$/);
  });

  it('never turns created from true to false: a link written as not created keeps what is stored', async () => {
    mock.on(UpdateItemCommand).resolves({});

    await links.put({ ...LINK, created: false });

    const input = mock.commandCalls(UpdateItemCommand)[0]?.args[0].input;
    expect(input?.UpdateExpression).toContain('created = if_not_exists(created, :false)');
    expect(input?.UpdateExpression).not.toContain(':true');
    expect(input?.ExpressionAttributeValues).toMatchObject({ ':false': { BOOL: false } });
    expect(input?.ExpressionAttributeValues).not.toHaveProperty(':true');
  });

  it('retries (CONFLICT_UNRESOLVED) when the Connect user was linked to another identity meanwhile', async () => {
    mock.on(UpdateItemCommand).rejects(conditionFailed());
    mock.on(GetItemCommand).resolves({ Item: { ...ITEM, identityUserId: { S: 'u-other' } } });

    const error = await rejection(links.put(LINK));

    expect([error.code, error.retryable]).toEqual(['CONFLICT_UNRESOLVED', true]);
  });

  it('fails permanently (CONNECT_USER_DELETED) when the deletion was confirmed meanwhile (a tombstone)', async () => {
    mock.on(UpdateItemCommand).rejects(conditionFailed());
    mock.on(GetItemCommand).resolves({ Item: { ...ITEM, deletedAt: { S: LINK.updatedAt } } });

    const error = await rejection(links.put(LINK));

    expect([error.code, error.retryable]).toEqual(['CONNECT_USER_DELETED', false]);
  });

  it('classifies other failures: DynamoDB throttling is retried', async () => {
    mock.on(UpdateItemCommand).rejects(new ProvisionedThroughputExceededException({ message: 'slow down', ...meta }));

    const error = await rejection(links.put(LINK));

    expect([error.code, error.retryable]).toEqual(['THROTTLED', true]);
  });
});

describe('link store adapter: creation attempts', () => {
  it('appends an attempt only while the Connect user is not linked, and ignores the condition failing', async () => {
    mock.on(UpdateItemCommand).resolvesOnce({}).rejectsOnce(conditionFailed());

    await links.recordCreationAttempt('i-1', 'c-1', LINK.createdAt);
    await links.recordCreationAttempt('i-1', 'c-1', LINK.createdAt);

    expect(mock.commandCalls(UpdateItemCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Key: { pk: { S: 'i-1' }, sk: { S: 'user#c-1' } },
      ConditionExpression: 'attribute_not_exists(identityUserId)',
      UpdateExpression: 'SET creationAttempts = list_append(if_not_exists(creationAttempts, :none), :at)',
      ExpressionAttributeValues: { ':none': { L: [] }, ':at': { L: [{ S: LINK.createdAt }] } },
    });
  });

  it('reads the attempts back', async () => {
    mock.on(GetItemCommand).resolvesOnce({ Item: { creationAttempts: { L: [{ S: 'a' }, { S: 'b' }] } } }).resolvesOnce({});

    expect(await links.creationAttempts('i-1', 'c-1')).toEqual(['a', 'b']);
    expect(await links.creationAttempts('i-1', 'c-1')).toEqual([]);
    expect(mock.commandCalls(GetItemCommand)[0]?.args[0].input).toMatchObject({ ConsistentRead: true, ProjectionExpression: 'creationAttempts' });
  });
});

describe('link store adapter: claim, delete and pages', () => {
  it('names the identity on the Connect user, then claims it with the groups about to be added, recording once that the service created it', async () => {
    mock.on(UpdateItemCommand).resolvesOnce({}).resolves({ Attributes: { connectUserId: { S: 'c-1' }, created: { BOOL: true } } });

    expect(await links.claim('i-1', 'u-1', 'c-1', true, ['g-2', 'g-1', 'g-2'])).toEqual({ holder: 'c-1', created: true });
    const [named, claimed] = mock.commandCalls(UpdateItemCommand).map((c) => c.args[0].input);
    expect(named).toMatchObject({
      Key: { pk: { S: 'i-1' }, sk: { S: 'user#c-1' } },
      ConditionExpression: 'attribute_not_exists(deletedAt)',
      UpdateExpression: 'ADD claims :ids',
      ExpressionAttributeValues: { ':ids': { SS: ['u-1'] } },
    });
    expect(claimed).toMatchObject({
      TableName: TABLE,
      Key: { pk: { S: 'i-1' }, sk: { S: 'identity#u-1' } },
      ConditionExpression: 'attribute_not_exists(connectUserId) OR connectUserId = :me',
      UpdateExpression: 'SET connectUserId = :me, createdAt = if_not_exists(createdAt, :now), created = :true ADD groupIds :groups',
      ReturnValues: 'ALL_NEW',
    });
    expect(claimed?.ExpressionAttributeValues?.[':groups']).toEqual({ SS: ['g-2', 'g-1'] });
  });

  it('claims nothing for a Connect user whose deletion was confirmed (CONNECT_USER_DELETED)', async () => {
    mock.on(UpdateItemCommand).rejects(conditionFailed());

    const error = await rejection(links.claim('i-1', 'u-1', 'c-1', false, ['g-1']));

    expect([error.code, error.retryable]).toEqual(['CONNECT_USER_DELETED', false]);
    expect(mock.commandCalls(UpdateItemCommand)).toHaveLength(1);
  });

  it('answers the holder and the recorded creator when another Connect user holds the claim, and un-names the identity', async () => {
    mock.on(UpdateItemCommand).resolvesOnce({}).rejectsOnce(conditionFailed()).resolves({});
    mock.on(GetItemCommand).resolves({ Item: { pk: { S: 'i-1' }, sk: { S: 'identity#u-1' }, connectUserId: { S: 'c-other' } } });

    expect(await links.claim('i-1', 'u-1', 'c-1', false)).toEqual({ holder: 'c-other', created: false });
    expect(mock.commandCalls(UpdateItemCommand)[2]?.args[0].input).toMatchObject({ Key: { pk: { S: 'i-1' }, sk: { S: 'user#c-1' } }, UpdateExpression: 'DELETE claims :ids' });
  });

  it('retries (CONFLICT_UNRESOLVED) when the claim was released between the write and the read', async () => {
    mock.on(UpdateItemCommand).resolvesOnce({}).rejectsOnce(conditionFailed()).resolves({});
    mock.on(GetItemCommand).resolves({});

    const error = await rejection(links.claim('i-1', 'u-1', 'c-1', false));

    expect([error.code, error.retryable]).toEqual(['CONFLICT_UNRESOLVED', true]);
  });

  it('reads a claim item: its holder, creator flag and the groups its syncs added', async () => {
    mock.on(GetItemCommand).resolvesOnce({ Item: { connectUserId: { S: 'c-1' }, created: { BOOL: true }, groupIds: { SS: ['g-2', 'g-1'] } } }).resolvesOnce({ Item: { created: { BOOL: true } } }).resolves({});

    expect(await links.claimOf('i-1', 'u-1')).toEqual({ holder: 'c-1', created: true, groupIds: ['g-1', 'g-2'] });
    expect(await links.claimOf('i-1', 'u-1')).toEqual({ created: true, groupIds: [] });
    expect(await links.claimOf('i-1', 'u-1')).toBeUndefined();
  });

  it('delete keeps the tombstone and whether the service created the identity; an identity deleted loses its item', async () => {
    mock.on(UpdateItemCommand).resolves({});
    mock.on(DeleteItemCommand).resolves({});

    await links.delete(LINK);
    await links.delete(LINK, { identityDeleted: true });

    const updates = mock.commandCalls(UpdateItemCommand).map((c) => c.args[0].input);
    expect(updates[0]).toMatchObject({ Key: { pk: { S: 'i-1' }, sk: { S: 'user#c-1' } }, ConditionExpression: 'identityUserId = :id' });
    expect(updates[0]?.UpdateExpression).toBe('REMOVE identityUserId, groupIds, created, createdAt, updatedAt, deprovisionFailure DELETE claims :ids');
    expect(updates[1]).toMatchObject({ Key: { pk: { S: 'i-1' }, sk: { S: 'identity#u-1' } }, UpdateExpression: 'SET formerHolder = :me REMOVE connectUserId, groupIds' });
    expect(mock.commandCalls(DeleteItemCommand).map((c) => c.args[0].input.Key)).toEqual([{ pk: { S: 'i-1' }, sk: { S: 'identity#u-1' } }]);
  });

  it('leaves items that name another pair (a condition failing is not an error); without a link, un-names the claimed identity', async () => {
    mock.on(UpdateItemCommand).rejects(conditionFailed());

    await expect(links.delete(LINK)).resolves.toBeUndefined();
    const updates = mock.commandCalls(UpdateItemCommand).map((c) => c.args[0].input);
    expect(updates).toHaveLength(3);
    expect(updates[1]).toMatchObject({ ConditionExpression: 'contains(claims, :id)', UpdateExpression: 'REMOVE deprovisionFailure DELETE claims :ids' });
  });

  it('remembers a failure per step: new the first time, repeated (one more attempt) when the same failure comes again', async () => {
    mock.on(UpdateItemCommand).resolvesOnce({}).rejectsOnce(conditionFailed()).resolvesOnce({}).rejects(conditionFailed());
    const failure = { code: 'PROTECTED_IDENTITY', since: '2026-11-28T09:15:00.000Z', identityUserId: 'u-1' };

    expect(await links.recordFailure('i-1', 'c-1', failure, 'deprovision')).toBe('new');
    expect(await links.recordFailure('i-1', 'c-1', failure, 'deprovision')).toBe('repeated');
    expect(await links.recordFailure('i-1', 'c-1', { code: 'NO_EMAIL', since: 'x' })).toBe('new');

    const [first, , again, sync] = mock.commandCalls(UpdateItemCommand).map((c) => c.args[0].input);
    expect(first).toMatchObject({ ExpressionAttributeNames: { '#f': 'deprovisionFailure' }, ConditionExpression: '(attribute_not_exists(#f) OR #f.#key <> :key)' });
    expect(first?.ExpressionAttributeValues?.[':f']?.M).toMatchObject({ identityUserId: { S: 'u-1' }, attempts: { N: '1' } });
    expect(again).toMatchObject({ UpdateExpression: 'SET #f.attempts = if_not_exists(#f.attempts, :one) + :one, #f.lastAt = :at', ConditionExpression: '#f.#key = :key' });
    expect(sync).toMatchObject({ ExpressionAttributeNames: { '#f': 'failure' } });
    expect(sync?.ConditionExpression).toContain('attribute_not_exists(deletedAt)');
  });

  it('queries the records of an instance page by page: links, remembered failures and claims without a link, not claim items or bare tombstones', async () => {
    const failure = { M: { code: { S: 'NO_EMAIL' }, since: { S: LINK.createdAt }, key: { S: 'NO_EMAIL@' } } };
    mock
      .on(QueryCommand)
      .resolvesOnce({ Items: [ITEM], LastEvaluatedKey: { pk: { S: 'i-1' }, sk: { S: 'user#c-1' } } })
      .resolvesOnce({
        Items: [
          { ...ITEM, sk: { S: 'user#c-2' }, created: { BOOL: false } },
          { pk: { S: 'i-1' }, sk: { S: 'user#c-3' }, failure },
          { pk: { S: 'i-1' }, sk: { S: 'user#c-4' }, deletedAt: { S: LINK.createdAt } },
          { pk: { S: 'i-1' }, sk: { S: 'user#c-5' }, deletedAt: { S: LINK.createdAt }, claims: { SS: ['u-5'] } },
          { pk: { S: 'i-1' }, sk: { S: 'identity#u-9' } },
        ],
      });

    const pages: UserRecord[][] = [];
    for await (const page of links.pages('i-1')) pages.push(page);

    expect(pages).toEqual([
      [{ connectUserId: 'c-1', link: LINK }],
      [
        { connectUserId: 'c-2', link: { ...LINK, connectUserId: 'c-2', created: false } },
        { connectUserId: 'c-3', failure: { code: 'NO_EMAIL', since: LINK.createdAt } },
        { connectUserId: 'c-5', deletedAt: LINK.createdAt, claims: ['u-5'] },
      ],
    ]);
    const inputs = mock.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(inputs[0]).toEqual({
      TableName: TABLE,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :user)',
      ExpressionAttributeValues: { ':pk': { S: 'i-1' }, ':user': { S: 'user#' } },
      ExclusiveStartKey: undefined,
    });
    expect(inputs[1]?.ExclusiveStartKey).toEqual({ pk: { S: 'i-1' }, sk: { S: 'user#c-1' } });
  });
});
