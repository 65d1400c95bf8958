/** DynamoDB (dynalite, in process, on the emulator's port) through the real @aws-sdk/client-dynamodb. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConditionalCheckFailedException, DescribeTableCommand, DynamoDBClient, GetItemCommand, ListTablesCommand, PutItemCommand, QueryCommand,
  ThrottlingException, TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import type { Emulator } from '../../local/emulator/index';
import { startEmulator } from '../../local/emulator/index';

const credentials = { accessKeyId: 'AKIATEST000000000000', secretAccessKey: 'test' };
let emulator: Emulator;
let db: DynamoDBClient;
let tables: Record<string, string>;

beforeAll(async () => {
  emulator = await startEmulator({ rateLimits: { retryAfterSeconds: 0 } });
  tables = await emulator.createTables({ stage: 'test' });
  db = new DynamoDBClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
});

afterAll(async () => {
  db.destroy();
  await emulator.stop();
});

const links = () => tables.LinksTable ?? '';
const put = (pk: string, sk: string, extra: Record<string, { S: string }> = {}, ConditionExpression?: string) =>
  db.send(new PutItemCommand({ TableName: links(), Item: { pk: { S: pk }, sk: { S: sk }, ...extra }, ConditionExpression }));

describe('tables from serverless.yml', () => {
  it('creates every AWS::DynamoDB::Table with its resolved name, keys and billing mode', async () => {
    expect(tables).toEqual({ LinksTable: 'connect-sso-sync-test-links' });
    const { Table } = await db.send(new DescribeTableCommand({ TableName: links() }));
    expect(Table).toMatchObject({
      TableStatus: 'ACTIVE',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
    });
    // Idempotent: existing tables are left as they are.
    expect(await emulator.createTables({ stage: 'test' })).toEqual(tables);
  });

  it('creates indexes, and refuses a TableName with a variable it cannot resolve', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emulator-ddb-'));
    const path = join(dir, 'serverless.yml');
    writeFileSync(path, [
      'service: demo', 'resources:', '  Resources:',
      '    ByEmail:', '      Type: AWS::DynamoDB::Table', '      Properties:', '        TableName: ${self:service}-${sls:stage}-by-email',
      '        BillingMode: PAY_PER_REQUEST',
      '        AttributeDefinitions: [{ AttributeName: pk, AttributeType: S }, { AttributeName: email, AttributeType: S }]',
      '        KeySchema: [{ AttributeName: pk, KeyType: HASH }]',
      '        GlobalSecondaryIndexes:', '          - IndexName: email', '            KeySchema: [{ AttributeName: email, KeyType: HASH }]', '            Projection: { ProjectionType: ALL }',
      '    Queue:', '      Type: AWS::SQS::Queue',
    ].join('\n'));
    expect(await emulator.createTables({ serverlessPath: path, stage: 'dev' })).toEqual({ ByEmail: 'demo-dev-by-email' });
    const { Table } = await db.send(new DescribeTableCommand({ TableName: 'demo-dev-by-email' }));
    expect(Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName)).toEqual(['email']);
    writeFileSync(path, ['service: demo', 'resources:', '  Resources:', '    T:', '      Type: AWS::DynamoDB::Table', '      Properties:', '        TableName: ${param:x}-t'].join('\n'));
    await expect(emulator.createTables({ serverlessPath: path, stage: 'dev' })).rejects.toThrow(/variable/);
  });
});

describe('items', () => {
  it('is reached through AWS_ENDPOINT_URL_DYNAMODB and applies conditions as DynamoDB does', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, emulator.env());
    const viaEnv = new DynamoDBClient({});
    try {
      expect(emulator.env().AWS_ENDPOINT_URL_DYNAMODB).toBe(emulator.endpoint);
      await viaEnv.send(new PutItemCommand({ TableName: links(), Item: { pk: { S: 'connect#u1' }, sk: { S: 'link' }, userId: { S: 'i1' } }, ConditionExpression: 'attribute_not_exists(pk)' }));
      const again = await put('connect#u1', 'link', {}, 'attribute_not_exists(pk)').catch((e: unknown) => e);
      expect(again).toBeInstanceOf(ConditionalCheckFailedException);
      expect((await viaEnv.send(new GetItemCommand({ TableName: links(), Key: { pk: { S: 'connect#u1' }, sk: { S: 'link' } } }))).Item?.userId).toEqual({ S: 'i1' });
      await put('connect#u1', 'event#2');
      const query = await viaEnv.send(new QueryCommand({ TableName: links(), KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': { S: 'connect#u1' } } }));
      expect(query.Items?.map((i) => i.sk?.S)).toEqual(['event#2', 'link']);
    } finally {
      viaEnv.destroy();
      process.env = saved;
    }
  });

  it('counts dynamodb:<Operation>, has no default rate limit (on-demand), and answers TransactWriteItems with UnknownOperationException', async () => {
    emulator.counters.reset();
    await Promise.all(Array.from({ length: 60 }, (_, i) => put('burst', `n${i}`)));
    expect(emulator.counters.get('dynamodb:PutItem')).toMatchObject({ total: 60, ok: 60, throttled: 0 });
    await put('burst', 'n0', {}, 'attribute_not_exists(pk)').catch(() => undefined);
    expect(emulator.counters.get('dynamodb:PutItem').error).toBe(1);
    const tx = await db.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: links(), Item: { pk: { S: 'a' }, sk: { S: 'b' } } } }] })).catch((e: unknown) => e);
    expect(tx).toMatchObject({ name: 'UnknownOperationException' });
  });

  it('injected faults and rate limits apply: ThrottlingException (400) and InternalServerError (500), retried by the SDK, changing nothing', async () => {
    emulator.setFaults({ operations: { 'dynamodb:PutItem': { throttleNext: 1, errorNext: 1 } } });
    const throttled = await put('fault', 'a').catch((e: unknown) => e);
    expect(throttled).toBeInstanceOf(ThrottlingException);
    expect(throttled).toMatchObject({ $metadata: { httpStatusCode: 400 } });
    expect(await put('fault', 'a').catch((e: unknown) => e)).toMatchObject({ name: 'InternalServerError', $fault: 'server', $metadata: { httpStatusCode: 500 } });
    expect((await db.send(new GetItemCommand({ TableName: links(), Key: { pk: { S: 'fault' }, sk: { S: 'a' } } }))).Item).toBeUndefined();
    emulator.setFaults({ operations: { 'dynamodb:PutItem': { throttleNext: 1 } } });
    const retrying = new DynamoDBClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials, maxAttempts: 3 });
    const out = await retrying.send(new PutItemCommand({ TableName: links(), Item: { pk: { S: 'fault' }, sk: { S: 'b' } } }));
    retrying.destroy();
    expect(out.$metadata.attempts).toBe(2);
    emulator.setFaults({});
    emulator.setRateLimits({ overrides: { dynamodb: { rate: 1, burst: 2 } } });
    const results = await Promise.allSettled(Array.from({ length: 4 }, () => db.send(new ListTablesCommand({}))));
    emulator.setRateLimits({ overrides: {} });
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(2);
    expect(emulator.counters.get('dynamodb:ListTables').throttled).toBe(2);
  });

  it('keeps tables per emulator, and stop() closes the port dynalite shares', async () => {
    const local = await startEmulator();
    const client = new DynamoDBClient({ endpoint: local.endpoint, region: 'us-east-1', credentials });
    expect((await client.send(new ListTablesCommand({}))).TableNames).toEqual([]);
    client.destroy();
    await local.stop();
    await expect(fetch(local.endpoint)).rejects.toThrow();
  });
});
