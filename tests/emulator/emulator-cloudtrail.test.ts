/** CloudTrail in the emulator (awsJson1_1): the real SDK client parses its trails, selectors, statuses and errors. */
import {
  CloudTrailARNInvalidException, CloudTrailClient, CloudTrailServiceException, DescribeTrailsCommand, GetEventSelectorsCommand,
  GetTrailStatusCommand, InvalidTrailNameException, ThrottlingException, TrailNotFoundException,
} from '@aws-sdk/client-cloudtrail';
import type { Emulator, SeededIds } from '../../local/emulator/index';
import { startEmulator } from '../../local/emulator/index';

const credentials = { accessKeyId: 'AKIATEST000000000000', secretAccessKey: 'test' };
let emulator: Emulator;
let ids: SeededIds;
let east: CloudTrailClient;
let west: CloudTrailClient;

beforeAll(async () => {
  emulator = await startEmulator({ rateLimits: { enabled: false } });
  const client = (region: string) => new CloudTrailClient({ endpoint: emulator.endpoint, region, credentials, maxAttempts: 1 });
  east = client('us-east-1');
  west = client('eu-west-1');
  ids = emulator.seed({
    trails: [
      { name: 'home' },
      { name: 'org', isMultiRegionTrail: true, homeRegion: 'eu-west-1', eventSelectors: 'advanced-management' },
      { name: 'other', homeRegion: 'eu-west-1', eventSelectors: 'management-read-only' },
      { name: 'stopped', logging: false, eventSelectors: 'none' },
    ],
  });
});

afterAll(async () => {
  east.destroy();
  west.destroy();
  await emulator.stop();
});

const arn = (name: string): string => ids.trails[name] ?? '';
const names = (out: { trailList?: { Name?: string }[] }) => (out.trailList ?? []).map((t) => t.Name);

describe('DescribeTrails', () => {
  it('lists the trails of the signed region plus multi-region (shadow) trails, in AWS shape', async () => {
    const out = await east.send(new DescribeTrailsCommand({}));
    expect(names(out)).toEqual(['home', 'org', 'stopped']);
    expect(out.trailList?.[1]).toMatchObject({
      Name: 'org', TrailARN: 'arn:aws:cloudtrail:eu-west-1:123456789012:trail/org', HomeRegion: 'eu-west-1', IsMultiRegionTrail: true,
      HasCustomEventSelectors: true, IncludeGlobalServiceEvents: true, IsOrganizationTrail: false, S3BucketName: expect.any(String),
    });
    expect(names(await east.send(new DescribeTrailsCommand({ includeShadowTrails: false })))).toEqual(['home', 'stopped']);
    expect(names(await west.send(new DescribeTrailsCommand({})))).toEqual(['org', 'other']);
  });

  it('matches names only in the signed region (another region needs the ARN) and leaves unknown ones out', async () => {
    const out = await east.send(new DescribeTrailsCommand({ trailNameList: ['home', 'other', 'nope', arn('org')] }));
    expect(names(out)).toEqual(['home', 'org']);
  });
});

describe('GetEventSelectors and GetTrailStatus', () => {
  it('answers basic selectors (CreateTrail default, or data events only) or advanced ones, never both', async () => {
    const home = await east.send(new GetEventSelectorsCommand({ TrailName: 'home' }));
    expect(home).toMatchObject({ TrailARN: arn('home'), EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [], ExcludeManagementEventSources: [] }] });
    expect(home.AdvancedEventSelectors).toBeUndefined();
    const stopped = await east.send(new GetEventSelectorsCommand({ TrailName: arn('stopped') }));
    expect(stopped.EventSelectors).toEqual([expect.objectContaining({ IncludeManagementEvents: false, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] })]);
    const org = await east.send(new GetEventSelectorsCommand({ TrailName: arn('org') }));
    expect(org.AdvancedEventSelectors).toEqual([{ Name: 'Management events selector', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }]);
    expect(org.EventSelectors).toBeUndefined();
    const other = await west.send(new GetEventSelectorsCommand({ TrailName: 'other' }));
    expect(other.EventSelectors?.[0]).toMatchObject({ ReadWriteType: 'ReadOnly', IncludeManagementEvents: true });
  });

  it('reports logging with start times, stopped with stop times (timestamps parsed to Dates)', async () => {
    const logging = await east.send(new GetTrailStatusCommand({ Name: 'home' }));
    expect(logging).toMatchObject({ IsLogging: true, StartLoggingTime: expect.any(Date), TimeLoggingStarted: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) });
    const stopped = await east.send(new GetTrailStatusCommand({ Name: 'stopped' }));
    expect(stopped).toMatchObject({ IsLogging: false, StopLoggingTime: expect.any(Date) });
    expect(stopped.StartLoggingTime).toBeUndefined();
  });
});

describe('errors', () => {
  it('TrailNotFoundException (404) for an unknown trail, or a shadow trail named instead of addressed by ARN', async () => {
    const error = await east.send(new GetTrailStatusCommand({ Name: 'nope' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrailNotFoundException);
    expect(error).toMatchObject({
      name: 'TrailNotFoundException', $fault: 'client', $metadata: { httpStatusCode: 404 },
    });
    // Error messages never echo request values (the name sent, or the ARN made of it).
    expect((error as Error).message).not.toMatch(/nope/);
    await expect(east.send(new GetEventSelectorsCommand({ TrailName: 'org' }))).rejects.toBeInstanceOf(TrailNotFoundException);
    await expect(east.send(new GetEventSelectorsCommand({ TrailName: 'other' }))).rejects.toBeInstanceOf(TrailNotFoundException);
    await expect(west.send(new GetTrailStatusCommand({ Name: arn('home') }))).rejects.toBeInstanceOf(TrailNotFoundException);
    expect(emulator.counters.get('cloudtrail:GetTrailStatus')).toMatchObject({ error: 2 });
  });

  it('InvalidTrailNameException and CloudTrailARNInvalidException (400) for malformed names and ARNs', async () => {
    for (const bad of ['ab', 'my--trail', '-trail', '10.0.0.1']) {
      await expect(east.send(new GetTrailStatusCommand({ Name: bad }))).rejects.toBeInstanceOf(InvalidTrailNameException);
    }
    const error = await east.send(new DescribeTrailsCommand({ trailNameList: ['arn:aws:s3:::bucket'] })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudTrailARNInvalidException);
    expect(error).toMatchObject({ $metadata: { httpStatusCode: 400 } });
  });

  it('injected faults: ThrottlingException (429) and InternalFailure (500), which the SDK retries', async () => {
    emulator.setFaults({ operations: { 'cloudtrail:DescribeTrails': { throttleNext: 1, errorNext: 1 } } });
    const throttled = await east.send(new DescribeTrailsCommand({})).catch((e: unknown) => e);
    expect(throttled).toBeInstanceOf(ThrottlingException);
    expect(throttled).toMatchObject({ $metadata: { httpStatusCode: 429 } });
    const failed = await east.send(new DescribeTrailsCommand({})).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(CloudTrailServiceException);
    expect(failed).toMatchObject({ name: 'InternalFailure', $fault: 'server', $metadata: { httpStatusCode: 500 } });

    emulator.setFaults({ operations: { 'cloudtrail:DescribeTrails': { throttleNext: 1 } } });
    const retrying = new CloudTrailClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials, maxAttempts: 3 });
    const out = await retrying.send(new DescribeTrailsCommand({}));
    retrying.destroy();
    emulator.setFaults({});
    expect(out.$metadata.attempts).toBe(2);
    expect(emulator.counters.get('cloudtrail:DescribeTrails')).toMatchObject({ faulted: 3 });
  });

  it('rate limit: 10 requests/s with a burst of 10 (CloudTrail\'s get/describe/list quota)', async () => {
    // The buckets' clock stands still: the burst of 10 is all there is, however long the 14 calls take to arrive.
    const now = Date.now();
    emulator.setRateLimits({ enabled: true, clock: () => now });
    const results = await Promise.allSettled(Array.from({ length: 14 }, () => east.send(new GetTrailStatusCommand({ Name: 'home' }))));
    emulator.setRateLimits({ enabled: false, clock: Date.now });
    const refused = results.flatMap((r): unknown[] => (r.status === 'rejected' ? [r.reason] : []));
    expect(refused).toHaveLength(4);
    expect(refused.every((e) => e instanceof ThrottlingException)).toBe(true);
    expect(emulator.counters.get('cloudtrail:GetTrailStatus').throttled).toBe(refused.length);
  });

  it('accepts the fully qualified target of the API reference and refuses unknown operations', async () => {
    const call = (target: string) => fetch(emulator.endpoint, { method: 'POST', headers: { 'x-amz-target': target, 'content-type': 'application/x-amz-json-1.1' }, body: '{}' });
    const ok = await call('com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.DescribeTrails');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(await ok.json()).toMatchObject({ trailList: expect.any(Array) });
    const unknown = await call('CloudTrail_20131101.CreateTrail');
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ __type: 'com.amazonaws.cloudtrail#UnknownOperationException' });
  });
});
