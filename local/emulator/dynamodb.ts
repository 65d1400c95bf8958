/**
 * DynamoDB, in process: dynalite (a DynamoDB implementation in JavaScript, kept in memory) answers every request with
 * `X-Amz-Target: DynamoDB_20120810.*`. The emulator's server hands it the request untouched (body unread) by calling
 * dynalite's own 'request' listener, so DynamoDB shares the emulator's port, counters, faults and rate limits, and no
 * second port is opened. dynalite does not implement transactions (TransactWriteItems answers UnknownOperationException).
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { DEFAULT_SERVERLESS_PATH, dig, loadServerlessConfig } from './serverless-config.js';

type Dynalite = (options: { createTableMs?: number; deleteTableMs?: number; updateTableMs?: number }) => Server;
const dynalite = createRequire(__filename)('dynalite') as Dynalite;

export class DynamoDbService {
  private readonly server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  private readonly listener: (req: IncomingMessage, res: ServerResponse) => void;

  constructor() {
    const [listener] = this.server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
    if (listener === undefined) throw new Error('dynalite exposes no request listener');
    this.listener = listener;
  }

  /** Answers one request (the body must not have been read yet). */
  forward(req: IncomingMessage, res: ServerResponse): void {
    this.listener(req, res);
  }

  /**
   * dynalite closes its store when its HTTP server closes; never listening, its server answers "not running" and the
   * in-memory store is simply dropped with this object.
   */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export interface CreateTablesOptions {
  /** Default: the repository's serverless.yml. */
  serverlessPath?: string;
  /** The `${sls:stage}` the table names are resolved with. */
  stage: string;
}

const TABLE_PROPERTIES = ['AttributeDefinitions', 'KeySchema', 'GlobalSecondaryIndexes', 'LocalSecondaryIndexes', 'BillingMode', 'ProvisionedThroughput'] as const;

/** `${self:service}` and `${sls:stage}`; any other variable is an error (the table would get a name AWS never sees). */
function resolveName(raw: unknown, service: string, stage: string, logicalId: string): string {
  if (typeof raw !== 'string') throw new Error(`serverless.yml: ${logicalId} has no TableName`);
  const name = raw.replace(/\$\{self:service\}/g, service).replace(/\$\{sls:stage\}/g, stage);
  if (name.includes('${')) throw new Error(`serverless.yml: ${logicalId} TableName uses a variable the emulator does not resolve`);
  return name;
}

/**
 * Creates every `AWS::DynamoDB::Table` of serverless.yml's `resources.Resources` with the real SDK, from its key schema,
 * attribute definitions, indexes and billing mode (serverless.yml is the single source of truth). Waits until each is
 * ACTIVE. A table that already exists is left as it is. Returns `{ [logicalId]: tableName }`.
 */
export async function createTables(endpoint: string, region: string, options: CreateTablesOptions): Promise<Record<string, string>> {
  const config = loadServerlessConfig(options.serverlessPath ?? DEFAULT_SERVERLESS_PATH);
  const service = config.service;
  if (typeof service !== 'string') throw new Error('serverless.yml has no top-level service name');
  const resources = dig(config, 'resources', 'Resources');
  const client = new DynamoDBClient({ endpoint, region, credentials: { accessKeyId: 'AKIAEMULATOR00000000', secretAccessKey: 'emulator-secret' } });
  const created: Record<string, string> = {};
  try {
    for (const [logicalId, resource] of Object.entries(typeof resources === 'object' && resources !== null ? resources : {})) {
      if (dig(resource, 'Type') !== 'AWS::DynamoDB::Table') continue;
      const properties = dig(resource, 'Properties') as Record<string, unknown> | undefined;
      const tableName = resolveName(properties?.TableName, service, options.stage, logicalId);
      const input: Record<string, unknown> = { TableName: tableName };
      for (const key of TABLE_PROPERTIES) if (properties?.[key] !== undefined) input[key] = properties[key];
      try {
        await client.send(new CreateTableCommand(input as unknown as CreateTableCommandInput));
      } catch (error) {
        if ((error as { name?: string }).name !== 'ResourceInUseException') throw error;
      }
      for (let attempt = 0; attempt < 100; attempt += 1) {
        const out = await client.send(new DescribeTableCommand({ TableName: tableName }));
        if (out.Table?.TableStatus === 'ACTIVE') break;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      created[logicalId] = tableName;
    }
  } finally {
    client.destroy();
  }
  return created;
}
