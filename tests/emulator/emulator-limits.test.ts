/** Rate limits, fault injection and counters, observed through the real SDK clients and their retries. */
import { ConnectClient, DescribeUserCommand } from '@aws-sdk/client-connect';
import { CreateGroupCommand, GetUserIdCommand, IdentitystoreClient, ThrottlingException } from '@aws-sdk/client-identitystore';
import type { Emulator } from '../../local/emulator/index';
import { startEmulator } from '../../local/emulator/index';

const credentials = { accessKeyId: 'AKIATEST000000000000', secretAccessKey: 'test' };
let emulator: Emulator;
let instanceId = '';
let userId = '';
let storeId = '';
/** Injected latencies being waited out: the test sees each one and releases its answer. */
const latencies: { ms: number; release: () => void }[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, seed: 42, latencyWait: (ms) => new Promise((resolve) => latencies.push({ ms, release: resolve })) });
  const ids = emulator.seed({
    connectInstances: [{ alias: 'limits', identityManagementType: 'SAML', users: [{ username: 'a@example.com' }] }],
    identityStores: [{ users: [{ userName: 'a@example.com' }] }],
  });
  instanceId = ids.connectInstances[0]?.id ?? '';
  userId = ids.connectInstances[0]?.users['a@example.com']?.id ?? '';
  storeId = ids.identityStores[0]?.id ?? '';
});

afterAll(async () => {
  await emulator.stop();
});

beforeEach(() => {
  emulator.counters.reset();
  emulator.setFaults({});
  // The buckets' clock stands still unless a test steps it: a burst served slowly by a busy machine refills nothing.
  const frozen = 1_000_000;
  emulator.setRateLimits({ enabled: true, scale: 1, overrides: {}, retryAfterSeconds: 1, clock: () => frozen });
});

const connectClient = (maxAttempts: number): ConnectClient => new ConnectClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials, maxAttempts });
const identityClient = (maxAttempts: number): IdentitystoreClient => new IdentitystoreClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials, maxAttempts });
const getUserId = (): GetUserIdCommand => new GetUserIdCommand({ IdentityStoreId: storeId, AlternateIdentifier: { UniqueAttribute: { AttributePath: 'userName', AttributeValue: 'a@example.com' } } });

describe('rate limits', () => {
  it('lets a burst of 5 Connect calls through per operation, then answers 429 ThrottlingException', async () => {
    const client = connectClient(1);
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => client.send(new DescribeUserCommand({ InstanceId: instanceId, UserId: userId }))));
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    expect(rejected).toHaveLength(3);
    expect(rejected[0]?.reason).toMatchObject({ name: 'ThrottlingException', $fault: 'client', $metadata: { httpStatusCode: 429 } });
    expect(emulator.counters.get('connect:DescribeUser')).toEqual({ total: 8, ok: 5, throttled: 3, faulted: 0, error: 0 });
    // Each operation has its own bucket.
    await expect(client.send(new DescribeUserCommand({ InstanceId: instanceId, UserId: 'unknown' }))).rejects.toMatchObject({ name: 'ThrottlingException' });
    client.destroy();
  });

  it('refills at the scaled rate and can be switched off', async () => {
    // The buckets' clock is stepped by the test, so a busy machine serving the burst slowly changes nothing.
    let now = 1_000_000;
    emulator.setRateLimits({ scale: 10, clock: () => now });
    const client = connectClient(1);
    const describe = (): Promise<unknown> => client.send(new DescribeUserCommand({ InstanceId: instanceId, UserId: userId }));
    const burst = await Promise.allSettled(Array.from({ length: 10 }, describe));
    const throttled = burst.filter((r) => r.status === 'rejected').length;
    expect(throttled).toBe(5); // burst 5, no time passed
    now += 25; // 2/s x 10 = 20/s: one token per 50 ms, half a token so far
    await expect(describe()).rejects.toMatchObject({ name: 'ThrottlingException' });
    now += 30;
    await describe();
    emulator.setRateLimits({ enabled: false });
    await Promise.all(Array.from({ length: 20 }, () => client.send(new DescribeUserCommand({ InstanceId: instanceId, UserId: userId }))));
    expect(emulator.counters.get('connect:DescribeUser').throttled).toBe(throttled + 1);
    client.destroy();
  });

  it('throttles Identity Store at 20 per operation with RetryAfterSeconds, overridable per operation', async () => {
    emulator.setRateLimits({ overrides: { 'identitystore:GetUserId': { rate: 1, burst: 2 } } });
    const client = identityClient(1);
    await client.send(getUserId());
    await client.send(getUserId());
    const error = await client.send(getUserId()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ThrottlingException);
    // HTTP 429, the model's status for ThrottlingException (RetryAfterSeconds is a member of its shape).
    expect(error).toMatchObject({ RetryAfterSeconds: 1, $metadata: { httpStatusCode: 429 } });
    // Retry-After is compressed with the rates.
    emulator.setRateLimits({ scale: 10, overrides: { 'identitystore:GetUserId': { rate: 0.001, burst: 1 } } });
    await client.send(getUserId());
    await expect(client.send(getUserId())).rejects.toMatchObject({ RetryAfterSeconds: 0.1 });
    client.destroy();
  });
});

describe('fault injection', () => {
  it('the SDK retries recover from an injected throttle and a 5xx, and every attempt is counted', async () => {
    emulator.setFaults({ operations: { 'identitystore:GetUserId': { throttleNext: 1, errorNext: 1 } } });
    emulator.setRateLimits({ retryAfterSeconds: 0.05 }); // the SDK waits at least Retry-After: keep it short
    const client = identityClient(3);
    const out = await client.send(getUserId());
    expect(out.UserId).toBeDefined();
    expect(out.$metadata.attempts).toBe(3);
    expect(emulator.counters.get('identitystore:GetUserId')).toEqual({ total: 3, ok: 1, throttled: 0, faulted: 2, error: 0 });
    expect(out.$metadata.totalRetryDelay).toBeGreaterThan(0);
    client.destroy();
  });

  it('answers InternalServerException (500, server fault) and changes no state when faulted', async () => {
    emulator.setFaults({ operations: { 'identitystore:CreateGroup': { errorNext: 1 } } });
    const client = identityClient(1);
    const error = await client.send(new CreateGroupCommand({ IdentityStoreId: storeId, DisplayName: 'Faulted' })).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'InternalServerException', $fault: 'server', $metadata: { httpStatusCode: 500 } });
    expect(emulator.state.groups(storeId).map((g) => g.DisplayName)).not.toContain('Faulted');
    await client.send(new CreateGroupCommand({ IdentityStoreId: storeId, DisplayName: 'Faulted' }));
    expect(emulator.state.groups(storeId).map((g) => g.DisplayName)).toContain('Faulted');
    client.destroy();
  });

  it('a lost answer: the request is carried out, the caller sees a reset connection, and a retry meets what it did', async () => {
    emulator.setFaults({ operations: { 'identitystore:CreateGroup': { lostAnswerNext: 1 } } });
    const client = identityClient(2);

    const error = await client.send(new CreateGroupCommand({ IdentityStoreId: storeId, DisplayName: 'Landed' })).catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'ConflictException', $metadata: { attempts: 2 } });
    expect(emulator.state.groups(storeId).filter((g) => g.DisplayName === 'Landed')).toHaveLength(1);
    expect(emulator.counters.get('identitystore:CreateGroup')).toEqual({ total: 2, ok: 0, throttled: 0, faulted: 1, error: 1 });
    client.destroy();
  });

  it('random fault rates are reproducible with the same seed, and latency is added', async () => {
    const run = async (): Promise<string[]> => {
      const local = await startEmulator({ port: 0, seed: 7, rateLimits: { enabled: false }, faults: { throttleRate: 0.3, errorRate: 0.2 } });
      const ids = local.seed({ identityStores: [{ users: [{ userName: 'a@example.com' }] }] });
      const client = new IdentitystoreClient({ endpoint: local.endpoint, region: 'us-east-1', credentials, maxAttempts: 1 });
      const outcomes: string[] = [];
      for (let i = 0; i < 30; i += 1) {
        const command = new GetUserIdCommand({ IdentityStoreId: ids.identityStores[0]?.id, AlternateIdentifier: { UniqueAttribute: { AttributePath: 'userName', AttributeValue: 'a@example.com' } } });
        outcomes.push(await client.send(command).then(() => 'ok', (e: unknown) => (e instanceof Error ? e.name : 'other')));
      }
      client.destroy();
      await local.stop();
      return outcomes;
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(first).toContain('ThrottlingException');
    expect(first).toContain('InternalServerException');
    expect(first).toContain('ok');

    emulator.setFaults({ operations: { connect: { latencyMs: 150 } } });
    const client = connectClient(1);
    let answered = false;
    const call = client.send(new DescribeUserCommand({ InstanceId: instanceId, UserId: userId })).finally(() => (answered = true));
    while (latencies.length === 0) await new Promise((resolve) => setImmediate(resolve));
    expect(latencies.map((l) => l.ms)).toEqual([150]);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(answered).toBe(false); // held until the latency is over
    latencies[0]?.release();
    await expect(call).resolves.toMatchObject({ User: { Id: userId } });
    client.destroy();
  });
});
