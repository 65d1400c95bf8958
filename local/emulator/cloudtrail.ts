/**
 * CloudTrail (awsJson1_1, target `CloudTrail_20131101.*`): the trail reads doctor makes — DescribeTrails,
 * GetEventSelectors, GetTrailStatus. The region of a request is the one its SigV4 scope names, as on AWS: a trail is
 * seen in its home region, and a multi-region trail also in every other region (a shadow trail, addressed by ARN).
 */
import type { JsonObject } from './core.js';
import { ApiError, str, strings } from './core.js';

/**
 * What a seeded trail's selectors log. Omitted: the selector CreateTrail gives (ReadWriteType All, management events).
 * `none` is a data-events-only trail; `advanced-management` the advanced selector the console creates.
 */
export type TrailSelectors = 'management-write' | 'management-read-only' | 'none' | 'advanced-management';

export interface TrailSpec {
  name: string;
  /** Default false, as CreateTrail. */
  isMultiRegionTrail?: boolean;
  /** Default: the emulator's region. */
  homeRegion?: string;
  /** Default true: the trail was started (StartLogging). */
  logging?: boolean;
  eventSelectors?: TrailSelectors;
}

export interface Trail {
  name: string;
  arn: string;
  homeRegion: string;
  isMultiRegionTrail: boolean;
  logging: boolean;
  eventSelectors?: TrailSelectors;
  /** Epoch seconds of the last StartLogging / StopLogging. */
  changedAt: number;
}

const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9]|[._-](?=[A-Za-z0-9]))*$/;
const ARN = /^arn:aws[a-z-]*:cloudtrail:[a-z0-9-]+:\d{12}:trail\/(.+)$/;

const invalidName = (): ApiError => new ApiError(
  'InvalidTrailNameException', 400,
  'Trail name is invalid: use 3 to 128 ASCII letters, numbers, periods, underscores or dashes, starting and ending with a letter or number, with no two separators in a row.',
);

/** Checks a trail name or ARN as CloudTrail does: 'arn' for an ARN, 'name' for a name. */
function kindOf(id: string): 'arn' | 'name' {
  if (id.startsWith('arn:')) {
    if (!ARN.test(id)) throw new ApiError('CloudTrailARNInvalidException', 400, 'The value is not a valid CloudTrail ARN.');
    return 'arn';
  }
  if (id.length < 3 || id.length > 128 || !NAME.test(id) || /^\d+\.\d+\.\d+\.\d+$/.test(id)) throw invalidName();
  return 'name';
}

const iso = (seconds: number): string => new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

export class CloudTrailService {
  /** Keyed by ARN. */
  readonly trails = new Map<string, Trail>();

  constructor(private readonly region: string, private readonly accountId: string) {}

  addTrail(spec: TrailSpec): Trail {
    kindOf(spec.name);
    const homeRegion = spec.homeRegion ?? this.region;
    const trail: Trail = {
      name: spec.name,
      arn: this.arnOf(homeRegion, spec.name),
      homeRegion,
      isMultiRegionTrail: spec.isMultiRegionTrail ?? false,
      logging: spec.logging ?? true,
      eventSelectors: spec.eventSelectors,
      changedAt: Math.floor(Date.now() / 1000),
    };
    if (this.trails.has(trail.arn)) throw new Error(`seed: trail ${spec.name} already exists in ${homeRegion}`);
    this.trails.set(trail.arn, trail);
    return trail;
  }

  /** `region`: the region the request was signed for (default: the emulator's). */
  handle(operation: string, input: JsonObject, region = this.region): JsonObject {
    switch (operation) {
      case 'DescribeTrails': {
        const includeShadows = input.includeShadowTrails !== false;
        const names = strings(input, 'trailNameList');
        const visible = [...this.trails.values()].filter((t) => t.homeRegion === region || (includeShadows && t.isMultiRegionTrail));
        // Names match trails of this region only; another region's trail needs its ARN. Unknown names are left out.
        const listed = names.length === 0 ? visible : visible.filter((t) => names.some((id) => (kindOf(id) === 'arn' ? id === t.arn : id === t.name && t.homeRegion === region)));
        return { trailList: listed.map((t) => this.describe(t)) };
      }
      case 'GetEventSelectors': {
        const trail = this.find(str(input, 'TrailName'), region);
        return { TrailARN: trail.arn, ...selectors(trail.eventSelectors) };
      }
      case 'GetTrailStatus': {
        const trail = this.find(str(input, 'Name'), region);
        const at = iso(trail.changedAt);
        return trail.logging
          ? { IsLogging: true, StartLoggingTime: trail.changedAt, TimeLoggingStarted: at, LatestDeliveryTime: trail.changedAt, LatestDeliveryAttemptTime: at, LatestDeliveryAttemptSucceeded: at }
          : { IsLogging: false, StopLoggingTime: trail.changedAt, TimeLoggingStopped: at };
      }
      default:
        throw new ApiError('UnknownOperationException', 400, 'The requested operation is not supported by the emulator.');
    }
  }

  private arnOf(region: string, name: string): string {
    return `arn:aws:cloudtrail:${region}:${this.accountId}:trail/${name}`;
  }

  /** A name finds a trail of this region; an ARN also a multi-region trail of another (its shadow here). */
  private find(id: string | undefined, region: string): Trail {
    if (id === undefined || id === '') throw new ApiError('InvalidTrailNameException', 400, 'Trail name or ARN must be specified.');
    const arn = kindOf(id) === 'arn' ? id : this.arnOf(region, id);
    const trail = this.trails.get(arn);
    if (trail === undefined || (trail.homeRegion !== region && !trail.isMultiRegionTrail)) {
      // AWS's message names the trail ARN and the account; the emulator's never echoes request values.
      throw new ApiError('TrailNotFoundException', 404, 'Unknown trail for this account and region.');
    }
    return trail;
  }

  private describe(trail: Trail): JsonObject {
    return {
      Name: trail.name,
      S3BucketName: `aws-cloudtrail-logs-${this.accountId}-${trail.name}`.toLowerCase().slice(0, 63),
      IncludeGlobalServiceEvents: true,
      IsMultiRegionTrail: trail.isMultiRegionTrail,
      HomeRegion: trail.homeRegion,
      TrailARN: trail.arn,
      LogFileValidationEnabled: true,
      HasCustomEventSelectors: trail.eventSelectors !== undefined,
      HasInsightSelectors: false,
      IsOrganizationTrail: false,
    };
  }
}

/** GetEventSelectors answers either basic or advanced selectors, never both. */
function selectors(kind: TrailSelectors | undefined): JsonObject {
  if (kind === 'advanced-management') {
    return { AdvancedEventSelectors: [{ Name: 'Management events selector', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }] };
  }
  const basic = (readWriteType: string, management: boolean, dataResources: JsonObject[] = []): JsonObject => ({
    EventSelectors: [{ ReadWriteType: readWriteType, IncludeManagementEvents: management, DataResources: dataResources, ExcludeManagementEventSources: [] }],
  });
  if (kind === 'management-write') return basic('WriteOnly', true);
  if (kind === 'management-read-only') return basic('ReadOnly', true);
  if (kind === 'none') return basic('All', false, [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }]);
  return basic('All', true);
}
