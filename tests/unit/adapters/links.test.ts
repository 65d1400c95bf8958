import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  ProvisionedThroughputExceededException,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { linkStoreAdapter } from '../../../shared/adapters/links.js';
import type { Link } from '../../../shared/core/ports.js';
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

    expect(await links.get('i-1', 'c-1')).toEqual(LINK);
    expect(mock.commandCalls(GetItemCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Key: { pk: { S: 'i-1' }, sk: { S: 'user#c-1' } },
      ConsistentRead: true,
    });
  });

  it('answers undefined without an item, and for an item holding only creation attempts', async () => {
    mock
      .on(GetItemCommand)
      .resolvesOnce({})
      .resolvesOnce({ Item: { pk: { S: 'i-1' }, sk: { S: 'user#c-1' }, creationAttempts: { L: [{ S: LINK.createdAt }] } } });

    expect(await links.get('i-1', 'c-1')).toBeUndefined();
    expect(await links.get('i-1', 'c-1')).toBeUndefined();
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
      ConditionExpression: 'attribute_not_exists(identityUserId) OR identityUserId = :id',
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
    expect(input?.UpdateExpression).toMatch(/REMOVE creationAttempts$/);
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

    const error = await rejection(links.put(LINK));

    expect([error.code, error.retryable]).toEqual(['CONFLICT_UNRESOLVED', true]);
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

describe('link store adapter: claim', () => {
  it('claims an identity for a Connect user when nobody else holds it', async () => {
    mock.on(PutItemCommand).resolves({});

    expect(await links.claim('i-1', 'u-1', 'c-1')).toBe('c-1');
    expect(mock.commandCalls(PutItemCommand)[0]?.args[0].input).toMatchObject({
      TableName: TABLE,
      Item: { pk: { S: 'i-1' }, sk: { S: 'identity#u-1' }, connectUserId: { S: 'c-1' } },
      ConditionExpression: 'attribute_not_exists(sk) OR connectUserId = :me',
      ExpressionAttributeValues: { ':me': { S: 'c-1' } },
    });
  });

  it('answers the holder when another Connect user holds the claim', async () => {
    mock.on(PutItemCommand).rejects(conditionFailed());
    mock.on(GetItemCommand).resolves({ Item: { pk: { S: 'i-1' }, sk: { S: 'identity#u-1' }, connectUserId: { S: 'c-other' } } });

    expect(await links.claim('i-1', 'u-1', 'c-1')).toBe('c-other');
    expect(mock.commandCalls(GetItemCommand)[0]?.args[0].input).toEqual({
      TableName: TABLE,
      Key: { pk: { S: 'i-1' }, sk: { S: 'identity#u-1' } },
      ConsistentRead: true,
    });
  });

  it('retries (CONFLICT_UNRESOLVED) when the claim was released between the write and the read', async () => {
    mock.on(PutItemCommand).rejects(conditionFailed());
    mock.on(GetItemCommand).resolves({});

    const error = await rejection(links.claim('i-1', 'u-1', 'c-1'));

    expect([error.code, error.retryable]).toEqual(['CONFLICT_UNRESOLVED', true]);
  });
});

describe('link store adapter: delete', () => {
  it('deletes the link and the claim, each only while it names the pair', async () => {
    mock.on(DeleteItemCommand).resolves({});

    await links.delete(LINK);

    expect(mock.commandCalls(DeleteItemCommand).map((c) => c.args[0].input)).toEqual([
      {
        TableName: TABLE,
        Key: { pk: { S: 'i-1' }, sk: { S: 'user#c-1' } },
        ConditionExpression: 'attribute_not_exists(sk) OR #a = :v',
        ExpressionAttributeNames: { '#a': 'identityUserId' },
        ExpressionAttributeValues: { ':v': { S: 'u-1' } },
      },
      {
        TableName: TABLE,
        Key: { pk: { S: 'i-1' }, sk: { S: 'identity#u-1' } },
        ConditionExpression: 'attribute_not_exists(sk) OR #a = :v',
        ExpressionAttributeNames: { '#a': 'connectUserId' },
        ExpressionAttributeValues: { ':v': { S: 'c-1' } },
      },
    ]);
  });

  it('leaves items that name another pair (a condition failing is not an error)', async () => {
    mock.on(DeleteItemCommand).rejects(conditionFailed());

    await expect(links.delete(LINK)).resolves.toBeUndefined();
    expect(mock.commandCalls(DeleteItemCommand)).toHaveLength(2);
  });
});

describe('link store adapter: pages', () => {
  it('queries the links of an instance page by page, skipping claims', async () => {
    mock
      .on(QueryCommand)
      .resolvesOnce({ Items: [ITEM], LastEvaluatedKey: { pk: { S: 'i-1' }, sk: { S: 'user#c-1' } } })
      .resolvesOnce({ Items: [{ ...ITEM, sk: { S: 'user#c-2' }, created: { BOOL: false } }, { pk: { S: 'i-1' }, sk: { S: 'identity#u-9' } }] });

    const pages: Link[][] = [];
    for await (const page of links.pages('i-1')) pages.push(page);

    expect(pages).toEqual([[LINK], [{ ...LINK, connectUserId: 'c-2', created: false }]]);
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
