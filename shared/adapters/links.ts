import {
  DeleteItemCommand,
  GetItemCommand,
  QueryCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { PermanentError, RetryableError } from '../core/errors.js';
import type { ClaimRecord, FailureStep, KnownFailure, Link, LinkStore, UserRecord } from '../core/ports/index.js';
import { paginate } from './paginate.js';
import { awsErrorName, call, classifySdkError } from './sdk-errors.js';

/**
 * The link table (serverless.yml `LinksTable`): partition key `pk` = the Connect instance id, sort key `sk`:
 * - `user#<connect user id>`: the link (identityUserId, created, groupIds, createdAt, updatedAt), the creation
 *   attempts of a sync not linked yet, the identities its syncs claimed (`claims`, a string set written before each
 *   claim), remembered permanent failures (`failure` of the sync, `updateFailure`, `deprovisionFailure`), and the
 *   tombstone of a confirmed deletion (`deletedAt`, with `expiresAt` for the table's TTL);
 * - `identity#<identity user id>`: the claim (connectUserId: one identity, one Connect user of the instance), the
 *   managed groups its syncs were about to add it to (`groupIds`, a string set written before the memberships) and
 *   `created` (the service created this identity), which outlives the claim.
 * One partition per instance, so reconcile reads an instance's records with Query. Ids, codes and flags only.
 */
const USER = 'user#';
const IDENTITY = 'identity#';
/** How long a tombstone is kept: far longer than any message can wait in the queues (14 days at most) or a replay. */
export const TOMBSTONE_DAYS = 90;
const LINK_ATTRIBUTES = 'identityUserId, groupIds, created, createdAt, updatedAt';

const S = (value: string): AttributeValue => ({ S: value });
const key = (instanceId: string, sk: string) => ({ pk: S(instanceId), sk: S(sk) });

function linkOf(instanceId: string, connectUserId: string, item: Record<string, AttributeValue>): Link | undefined {
  const identityUserId = item.identityUserId?.S;
  if (!identityUserId) return undefined;
  return {
    instanceId,
    connectUserId,
    identityUserId,
    created: item.created?.BOOL === true,
    groupIds: item.groupIds?.L?.flatMap((g) => (g.S ? [g.S] : [])) ?? [],
    createdAt: item.createdAt?.S ?? '',
    updatedAt: item.updatedAt?.S ?? '',
  };
}

/** The attribute of the user item that remembers each step's failure. */
const FAILURE: Record<FailureStep, string> = { sync: 'failure', update: 'updateFailure', deprovision: 'deprovisionFailure' };

function failureOf(value: AttributeValue | undefined): KnownFailure | undefined {
  const m = value?.M;
  if (!m?.code?.S || !m.since?.S) return undefined;
  const attempts = Number(m.attempts?.N);
  return {
    code: m.code.S,
    since: m.since.S,
    ...(m.connectModifiedAt?.S && { connectModifiedAt: m.connectModifiedAt.S }),
    ...(Number.isInteger(attempts) && attempts > 0 && { attempts }),
    ...(m.lastAt?.S && { lastAt: m.lastAt.S }),
    ...(m.identityUserId?.S && { identityUserId: m.identityUserId.S }),
  };
}

function recordOf(instanceId: string, connectUserId: string, item: Record<string, AttributeValue> | undefined): UserRecord {
  if (!item) return { connectUserId };
  const link = linkOf(instanceId, connectUserId, item);
  const [failure, updateFailure, deprovisionFailure] = [item.failure, item.updateFailure, item.deprovisionFailure].map(failureOf);
  const claims = item.claims?.SS ?? [];
  return {
    connectUserId,
    ...(link && { link }),
    ...(item.deletedAt?.S && { deletedAt: item.deletedAt.S }),
    ...(failure && { failure }),
    ...(updateFailure && { updateFailure }),
    ...(deprovisionFailure && { deprovisionFailure }),
    ...(claims.length > 0 && { claims: [...claims].sort() }),
  };
}

function claimRecordOf(item: Record<string, AttributeValue> | undefined): ClaimRecord | undefined {
  if (!item) return undefined;
  const holder = item.connectUserId?.S;
  const formerHolder = item.formerHolder?.S;
  return { ...(holder && { holder }), ...(formerHolder && { formerHolder }), created: item.created?.BOOL === true, groupIds: [...(item.groupIds?.SS ?? [])].sort() };
}

const isConditionFailed = (error: unknown) => awsErrorName(error) === 'ConditionalCheckFailedException';

/** The LinkStore port over @aws-sdk/client-dynamodb, for one table. */
export function linkStoreAdapter(client: DynamoDBClient, TableName: string): LinkStore {
  const read = async (instanceId: string, sk: string, ProjectionExpression?: string) => {
    const get = new GetItemCommand({ TableName, Key: key(instanceId, sk), ConsistentRead: true, ProjectionExpression });
    return (await call('dynamodb:GetItem', () => client.send(get))).Item;
  };

  /** An UpdateItem whose failed condition means "nothing to do": resolves false then. */
  async function updateIf(input: Omit<UpdateItemCommandInput, 'TableName'>): Promise<Record<string, AttributeValue> | false> {
    try {
      return (await client.send(new UpdateItemCommand({ TableName, ...input }))).Attributes ?? {};
    } catch (error) {
      if (isConditionFailed(error)) return false;
      throw classifySdkError(error, 'dynamodb:UpdateItem');
    }
  }

  return {
    async get(instanceId, connectUserId) {
      return recordOf(instanceId, connectUserId, await read(instanceId, USER + connectUserId));
    },

    async put(link) {
      // `created` is never turned from true to false: two deliveries of one CreateUser race, the one that created
      // the identity says so, the other one links it. No link is written once the deletion was confirmed.
      const written = await updateIf({
        Key: key(link.instanceId, USER + link.connectUserId),
        ConditionExpression: '(attribute_not_exists(identityUserId) OR identityUserId = :id) AND attribute_not_exists(deletedAt)',
        UpdateExpression: `SET identityUserId = :id, groupIds = :groups, updatedAt = :now, createdAt = if_not_exists(createdAt, :created), ${
          link.created ? 'created = :true' : 'created = if_not_exists(created, :false)'
        } REMOVE creationAttempts, failure`,
        ExpressionAttributeValues: {
          ':id': S(link.identityUserId),
          ':groups': { L: link.groupIds.map(S) },
          ':now': S(link.updatedAt),
          ':created': S(link.createdAt),
          ...(link.created ? { ':true': { BOOL: true } } : { ':false': { BOOL: false } }),
        },
      });
      if (written) return;
      const now = recordOf(link.instanceId, link.connectUserId, await read(link.instanceId, USER + link.connectUserId));
      if (now.deletedAt) throw new PermanentError('CONNECT_USER_DELETED', 'the Connect user was deleted meanwhile (Connect confirmed it)');
      throw new RetryableError('CONFLICT_UNRESOLVED', 'the Connect user was linked to another identity meanwhile');
    },

    async adopt(link) {
      // The claim first, as a sync claims before it links: a link never names an identity another Connect user holds.
      const { instanceId, connectUserId, identityUserId } = link;
      const me = { ':me': S(connectUserId) };
      const claimKey = key(instanceId, IDENTITY + identityUserId);
      const claimed = await updateIf({
        Key: claimKey,
        // Free, or already this Connect user's (a link lost, its claim kept).
        ConditionExpression: 'attribute_not_exists(connectUserId) OR connectUserId = :me',
        UpdateExpression: 'SET connectUserId = :me, createdAt = if_not_exists(createdAt, :now)',
        ExpressionAttributeValues: { ...me, ':now': S(link.createdAt) },
        ReturnValues: 'ALL_OLD',
      });
      if (!claimed) return 'refused';
      const created = claimed.created?.BOOL === true;
      const mineBefore = claimed.connectUserId?.S === connectUserId;
      const linked = await updateIf({
        Key: key(instanceId, USER + connectUserId),
        ConditionExpression: 'attribute_not_exists(identityUserId) AND attribute_not_exists(deletedAt) AND attribute_not_exists(creationAttempts) AND attribute_not_exists(claims)',
        UpdateExpression: 'SET identityUserId = :id, groupIds = :groups, created = :created, createdAt = :now, updatedAt = :now ADD claims :ids REMOVE failure',
        ExpressionAttributeValues: {
          ':id': S(identityUserId),
          ':groups': { L: link.groupIds.map(S) },
          ':created': { BOOL: created },
          ':now': S(link.updatedAt),
          ':ids': { SS: [identityUserId] },
        },
      });
      if (linked) return 'linked';
      // A tombstone, a link or a sync under way meanwhile: a claim made now is given back, and the sync decides.
      if (!mineBefore) await updateIf({ Key: claimKey, ConditionExpression: 'connectUserId = :me', UpdateExpression: 'REMOVE connectUserId', ExpressionAttributeValues: me });
      return 'refused';
    },

    async recordCreationAttempt(instanceId, connectUserId, at) {
      // Only while the Connect user is not linked: a link says all there is to say.
      await updateIf({
        Key: key(instanceId, USER + connectUserId),
        ConditionExpression: 'attribute_not_exists(identityUserId)',
        UpdateExpression: 'SET creationAttempts = list_append(if_not_exists(creationAttempts, :none), :at)',
        ExpressionAttributeValues: { ':none': { L: [] }, ':at': { L: [S(at)] } },
      });
    },

    async creationAttempts(instanceId, connectUserId) {
      const item = await read(instanceId, USER + connectUserId, 'creationAttempts');
      return (item?.creationAttempts?.L ?? []).flatMap((a) => (a.S ? [a.S] : []));
    },

    async claim(instanceId, identityUserId, connectUserId, created, groupIds = []) {
      // The identity is named on the Connect user's record before it is claimed, and the claim holds the groups before
      // they are added: whatever the sync writes next is findable from the Connect user id, link or no link.
      const userKey = key(instanceId, USER + connectUserId);
      const named = await updateIf({
        Key: userKey,
        ConditionExpression: 'attribute_not_exists(deletedAt)',
        UpdateExpression: 'ADD claims :ids',
        ExpressionAttributeValues: { ':ids': { SS: [identityUserId] } },
      });
      if (!named) throw new PermanentError('CONNECT_USER_DELETED', 'the Connect user was deleted meanwhile (Connect confirmed it)');
      const claimKey = key(instanceId, IDENTITY + identityUserId);
      const adds = groupIds.length > 0 ? ' ADD groupIds :groups' : '';
      const claimed = await updateIf({
        Key: claimKey,
        ConditionExpression: 'attribute_not_exists(connectUserId) OR connectUserId = :me',
        UpdateExpression: `SET connectUserId = :me, createdAt = if_not_exists(createdAt, :now)${created ? ', created = :true' : ''}${adds}`,
        ExpressionAttributeValues: {
          ':me': S(connectUserId),
          ':now': S(new Date().toISOString()),
          ...(created && { ':true': { BOOL: true } }),
          ...(groupIds.length > 0 && { ':groups': { SS: [...new Set(groupIds)] } }),
        },
        ReturnValues: 'ALL_NEW',
      });
      if (claimed) return { holder: connectUserId, created: claimed.created?.BOOL === true };
      // Held by another Connect user: this one wrote nothing under it.
      await updateIf({ Key: userKey, UpdateExpression: 'DELETE claims :ids', ExpressionAttributeValues: { ':ids': { SS: [identityUserId] } } });
      const item = await read(instanceId, IDENTITY + identityUserId);
      const holder = item?.connectUserId?.S;
      if (!holder) throw new RetryableError('CONFLICT_UNRESOLVED', 'the identity was claimed and released meanwhile');
      return { holder, created: item.created?.BOOL === true };
    },

    async claimOf(instanceId, identityUserId) {
      return claimRecordOf(await read(instanceId, IDENTITY + identityUserId));
    },

    async claimant(instanceId, identityUserId) {
      return (await read(instanceId, IDENTITY + identityUserId))?.connectUserId?.S;
    },

    async delete(link, options = {}) {
      // The user item keeps what outlives the link (a tombstone); each change only while it still names this pair.
      const userKey = key(link.instanceId, USER + link.connectUserId);
      const named = { ':id': S(link.identityUserId), ':ids': { SS: [link.identityUserId] } };
      const unlinked = await updateIf({
        Key: userKey,
        ConditionExpression: 'identityUserId = :id',
        UpdateExpression: `REMOVE ${LINK_ATTRIBUTES}, deprovisionFailure DELETE claims :ids`,
        ExpressionAttributeValues: named,
      });
      if (!unlinked) {
        // No link (a sync that died before it): only the claim it named.
        await updateIf({ Key: userKey, ConditionExpression: 'contains(claims, :id)', UpdateExpression: 'REMOVE deprovisionFailure DELETE claims :ids', ExpressionAttributeValues: named });
      }
      const claimKey = key(link.instanceId, IDENTITY + link.identityUserId);
      const mine = { ':me': S(link.connectUserId) };
      if (!options.identityDeleted) {
        // Released, but whether the service created the identity stays recorded (a re-created Connect user keeps it).
        // The released holder is kept (ids only): `user <email>` finds the deleted agent through it.
        await updateIf({ Key: claimKey, ConditionExpression: 'connectUserId = :me', UpdateExpression: 'SET formerHolder = :me REMOVE connectUserId, groupIds', ExpressionAttributeValues: mine });
        return;
      }
      try {
        await client.send(
          new DeleteItemCommand({ TableName, Key: claimKey, ConditionExpression: 'attribute_not_exists(connectUserId) OR connectUserId = :me', ExpressionAttributeValues: mine }),
        );
      } catch (error) {
        if (!isConditionFailed(error)) throw classifySdkError(error, 'dynamodb:DeleteItem');
      }
    },

    async tombstone(instanceId, connectUserId, at) {
      const expiresAt = Math.floor(Date.parse(at) / 1000) + TOMBSTONE_DAYS * 86_400;
      const item = await updateIf({
        Key: key(instanceId, USER + connectUserId),
        UpdateExpression: 'SET deletedAt = if_not_exists(deletedAt, :at), expiresAt = :exp REMOVE failure, updateFailure, creationAttempts',
        ExpressionAttributeValues: { ':at': S(at), ':exp': { N: String(expiresAt) } },
        ReturnValues: 'ALL_NEW',
      });
      return recordOf(instanceId, connectUserId, item || undefined);
    },

    async recordFailure(instanceId, connectUserId, failure, step = 'sync') {
      // `key` tells one failure from another: the same one again keeps its `since` and counts one more attempt.
      const sameAs = `${failure.code}@${failure.connectModifiedAt ?? ''}`;
      const value: Record<string, AttributeValue> = { code: S(failure.code), since: S(failure.since), key: S(sameAs), attempts: { N: '1' }, lastAt: S(failure.since) };
      if (failure.connectModifiedAt) value.connectModifiedAt = S(failure.connectModifiedAt);
      if (failure.identityUserId) value.identityUserId = S(failure.identityUserId);
      // A deleted user's sync or update failure is moot; its deprovision's is what is left to fix.
      const live = step === 'deprovision' ? '' : 'attribute_not_exists(deletedAt) AND ';
      const Key = key(instanceId, USER + connectUserId);
      const names = { '#f': FAILURE[step], '#key': 'key' };
      const fresh = await updateIf({
        Key,
        ConditionExpression: `${live}(attribute_not_exists(#f) OR #f.#key <> :key)`,
        UpdateExpression: 'SET #f = :f',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ':f': { M: value }, ':key': S(sameAs) },
      });
      if (fresh) return 'new';
      const again = await updateIf({
        Key,
        ConditionExpression: `${live}#f.#key = :key`,
        UpdateExpression: 'SET #f.attempts = if_not_exists(#f.attempts, :one) + :one, #f.lastAt = :at',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ':key': S(sameAs), ':one': { N: '1' }, ':at': S(failure.since) },
      });
      return again ? 'repeated' : 'new';
    },

    async clearFailure(instanceId, connectUserId, step = 'sync') {
      await updateIf({
        Key: key(instanceId, USER + connectUserId),
        ConditionExpression: 'attribute_exists(#f)',
        UpdateExpression: 'REMOVE #f',
        ExpressionAttributeNames: { '#f': FAILURE[step] },
      });
    },

    async *pages(instanceId) {
      const query = { TableName, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :user)' };
      const values = { ':pk': S(instanceId), ':user': S(USER) };
      const pages = paginate(
        (start: Record<string, AttributeValue> | undefined) =>
          call('dynamodb:Query', () => client.send(new QueryCommand({ ...query, ExpressionAttributeValues: values, ExclusiveStartKey: start }))),
        { next: (page) => page.LastEvaluatedKey },
      );
      for await (const out of pages) {
        yield (out.Items ?? []).flatMap((item) => {
          const sk = item.sk?.S ?? '';
          const record = recordOf(instanceId, sk.slice(USER.length), item);
          return record.link || record.failure || record.updateFailure || record.deprovisionFailure || record.claims ? [record] : [];
        });
      }
    },
  };
}
