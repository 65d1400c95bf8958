import {
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  type AdvancedEventSelector,
  type CloudTrailClient,
  type EventSelector,
} from '@aws-sdk/client-cloudtrail';
import type { CheckResult } from './doctor-checks.js';

const CONNECT = 'connect.amazonaws.com';
const FIX =
  'create a trail that logs management events (read/write or write-only) and covers this region, then start it, e.g. ' +
  'aws cloudtrail create-trail --name connect-sso-sync --s3-bucket-name <bucket> --is-multi-region-trail && ' +
  'aws cloudtrail start-logging --name connect-sso-sync';

/** True when basic event selectors log write management events (the default selector logs all management events). */
export function basicSelectorsLogWrites(selectors: EventSelector[]): boolean {
  return selectors.some((s) => s.IncludeManagementEvents !== false && (s.ReadWriteType ?? 'All') !== 'ReadOnly');
}

/** True when an advanced selector logs write management events from Connect. */
export function advancedSelectorsLogWrites(selectors: AdvancedEventSelector[]): boolean {
  return selectors.some((selector) => {
    const fields = selector.FieldSelectors ?? [];
    const field = (name: string) => fields.find((f) => f.Field === name);
    if (!field('eventCategory')?.Equals?.includes('Management')) return false;
    const readOnly = field('readOnly');
    if (readOnly?.Equals?.includes('true') || readOnly?.NotEquals?.includes('false')) return false;
    const source = field('eventSource');
    if (source?.NotEquals?.includes(CONNECT)) return false;
    if (source?.Equals && !source.Equals.includes(CONNECT)) return false;
    return true;
  });
}

/**
 * Connect's CreateUser reaches EventBridge as a CloudTrail management (write) event, which needs a trail logging
 * management events in the instance's region (a trail of that home region, or a multi-region trail).
 */
export async function checkCloudTrail(client: CloudTrailClient, region: string | undefined): Promise<CheckResult> {
  const name = 'cloudtrail';
  const where = region ?? 'the default region';
  const { trailList = [] } = await client.send(new DescribeTrailsCommand({ includeShadowTrails: true }));
  const applicable = trailList.filter((t) => t.IsMultiRegionTrail || !region || t.HomeRegion === region);
  const notes: string[] = [];
  for (const trail of applicable) {
    const id = trail.TrailARN ?? trail.Name;
    if (!id) continue;
    const selectors = await client.send(new GetEventSelectorsCommand({ TrailName: id }));
    const logsWrites = selectors.AdvancedEventSelectors?.length
      ? advancedSelectorsLogWrites(selectors.AdvancedEventSelectors)
      : basicSelectorsLogWrites(selectors.EventSelectors ?? []);
    if (!logsWrites) {
      notes.push(`${trail.Name ?? id}: does not log write management events`);
      continue;
    }
    const status = await client.send(new GetTrailStatusCommand({ Name: id }));
    if (status.IsLogging === false) {
      notes.push(`${trail.Name ?? id}: logs management events but is stopped`);
      continue;
    }
    return { name, status: 'pass', detail: `trail ${trail.Name ?? id} logs write management events in ${where}` };
  }
  if (applicable.length === 0) return { name, status: 'fail', detail: `no trail covers ${where}`, fix: FIX };
  return { name, status: 'fail', detail: notes.join('; '), fix: FIX };
}
