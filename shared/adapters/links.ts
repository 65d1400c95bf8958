import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { RetryableError } from '../core/errors.js';
import type { Link, LinkStore } from '../core/ports.js';
import { awsErrorName, call, classifySdkError } from './sdk-errors.js';

/**
 * The link table (serverless.yml `LinksTable`): partition key `pk` = the Connect instance id, sort key `sk`:
 * - `user#<connect user id>`: the link (identityUserId, created, groupIds, createdAt, updatedAt);
 * - `identity#<identity user id>`: the claim (connectUserId): one identity, one Connect user of the instance.
 * One partition per instance, so reconcile reads an instance's links with Query. Ids and flags only.
 */
const USER = 'user#';
const IDENTITY = 'identity#';

const S = (value: string): AttributeValue => ({ S: value });
const key = (instanceId: string, sk: string) => ({ pk: S(instanceId), sk: S(sk) });

function linkOf(item: Record<string, AttributeValue>): Link | undefined {
  const sk = item.sk?.S;
  const identityUserId = item.identityUserId?.S;
  if (!sk?.startsWith(USER) || !identityUserId || !item.pk?.S) return undefined;
  return {
    instanceId: item.pk.S,
    connectUserId: sk.slice(USER.length),
    identityUserId,
    created: item.created?.BOOL === true,
    groupIds: item.groupIds?.L?.flatMap((g) => (g.S ? [g.S] : [])) ?? [],
    createdAt: item.createdAt?.S ?? '',
    updatedAt: item.updatedAt?.S ?? '',
  };
}

const isConditionFailed = (error: unknown) => awsErrorName(error) === 'ConditionalCheckFailedException';

/** The LinkStore port over @aws-sdk/client-dynamodb, for one table. */
export function linkStoreAdapter(client: DynamoDBClient, tableName: string): LinkStore {
  const TableName = tableName;

  return {
    async get(instanceId, connectUserId) {
      const out = await call('dynamodb:GetItem', () =>
        client.send(new GetItemCommand({ TableName, Key: key(instanceId, USER + connectUserId), ConsistentRead: true })),
      );
      return out.Item ? linkOf(out.Item) : undefined;
    },

    async put(link) {
      // `created` is never turned from true to false: two deliveries of one CreateUser race, the one that created
      // the identity says so, the other one links it.
      try {
        await client.send(
          new UpdateItemCommand({
            TableName,
            Key: key(link.instanceId, USER + link.connectUserId),
            ConditionExpression: 'attribute_not_exists(identityUserId) OR identityUserId = :id',
            UpdateExpression: `SET identityUserId = :id, groupIds = :groups, updatedAt = :now, createdAt = if_not_exists(createdAt, :created), ${
              link.created ? 'created = :true' : 'created = if_not_exists(created, :false)'
            } REMOVE creationAttempts`,
            ExpressionAttributeValues: {
              ':id': S(link.identityUserId),
              ':groups': { L: link.groupIds.map(S) },
              ':now': S(link.updatedAt),
              ':created': S(link.createdAt),
              ...(link.created ? { ':true': { BOOL: true } } : { ':false': { BOOL: false } }),
            },
          }),
        );
      } catch (error) {
        if (!isConditionFailed(error)) throw classifySdkError(error, 'dynamodb:UpdateItem');
        throw new RetryableError('CONFLICT_UNRESOLVED', 'the Connect user was linked to another identity meanwhile');
      }
    },

    async recordCreationAttempt(instanceId, connectUserId, at) {
      try {
        await client.send(
          new UpdateItemCommand({
            TableName,
            Key: key(instanceId, USER + connectUserId),
            // Only while the Connect user is not linked: a link says all there is to say.
            ConditionExpression: 'attribute_not_exists(identityUserId)',
            UpdateExpression: 'SET creationAttempts = list_append(if_not_exists(creationAttempts, :none), :at)',
            ExpressionAttributeValues: { ':none': { L: [] }, ':at': { L: [S(at)] } },
          }),
        );
      } catch (error) {
        if (!isConditionFailed(error)) throw classifySdkError(error, 'dynamodb:UpdateItem');
      }
    },

    async creationAttempts(instanceId, connectUserId) {
      const out = await call('dynamodb:GetItem', () =>
        client.send(new GetItemCommand({ TableName, Key: key(instanceId, USER + connectUserId), ConsistentRead: true, ProjectionExpression: 'creationAttempts' })),
      );
      return (out.Item?.creationAttempts?.L ?? []).flatMap((a) => (a.S ? [a.S] : []));
    },

    async claim(instanceId, identityUserId, connectUserId) {
      const claimKey = key(instanceId, IDENTITY + identityUserId);
      try {
        await client.send(
          new PutItemCommand({
            TableName,
            Item: { ...claimKey, connectUserId: S(connectUserId), createdAt: S(new Date().toISOString()) },
            ConditionExpression: 'attribute_not_exists(sk) OR connectUserId = :me',
            ExpressionAttributeValues: { ':me': S(connectUserId) },
          }),
        );
        return connectUserId;
      } catch (error) {
        if (!isConditionFailed(error)) throw classifySdkError(error, 'dynamodb:PutItem');
      }
      const out = await call('dynamodb:GetItem', () => client.send(new GetItemCommand({ TableName, Key: claimKey, ConsistentRead: true })));
      const holder = out.Item?.connectUserId?.S;
      if (!holder) throw new RetryableError('CONFLICT_UNRESOLVED', 'the identity was claimed and released meanwhile');
      return holder;
    },

    async delete(link) {
      // Each delete only while the item still names this pair; an item already gone is success.
      const removeIf = async (sk: string, attribute: string, value: string) => {
        try {
          await client.send(
            new DeleteItemCommand({
              TableName,
              Key: key(link.instanceId, sk),
              ConditionExpression: 'attribute_not_exists(sk) OR #a = :v',
              ExpressionAttributeNames: { '#a': attribute },
              ExpressionAttributeValues: { ':v': S(value) },
            }),
          );
        } catch (error) {
          if (!isConditionFailed(error)) throw classifySdkError(error, 'dynamodb:DeleteItem');
        }
      };
      await removeIf(USER + link.connectUserId, 'identityUserId', link.identityUserId);
      await removeIf(IDENTITY + link.identityUserId, 'connectUserId', link.connectUserId);
    },

    async *pages(instanceId) {
      let start: Record<string, AttributeValue> | undefined;
      do {
        const out = await call('dynamodb:Query', () =>
          client.send(
            new QueryCommand({
              TableName,
              KeyConditionExpression: 'pk = :pk AND begins_with(sk, :user)',
              ExpressionAttributeValues: { ':pk': S(instanceId), ':user': S(USER) },
              ExclusiveStartKey: start,
            }),
          ),
        );
        yield (out.Items ?? []).flatMap((item) => linkOf(item) ?? []);
        start = out.LastEvaluatedKey;
      } while (start);
    },
  };
}
