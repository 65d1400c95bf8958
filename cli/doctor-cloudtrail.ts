import type { CheckResult, DoctorContext } from './doctor-checks.js';

const FIX =
  'create a trail that logs management events (read/write or write-only) and covers this region, then start it, e.g. ' +
  'aws cloudtrail create-trail --name connect-sso-sync --s3-bucket-name <bucket> --is-multi-region-trail && ' +
  'aws cloudtrail start-logging --name connect-sso-sync';

/**
 * Connect's CreateUser reaches EventBridge as a CloudTrail management (write) event, which needs a trail logging
 * management events in the instance's region (a trail of that home region, or a multi-region trail).
 */
export async function checkCloudTrail({ reads, connectRegion: region }: DoctorContext): Promise<CheckResult> {
  const name = 'cloudtrail';
  const where = region ?? 'the default region';
  const trails = await reads.deployment.trails(region);
  const working = trails.find((t) => t.logsWrites && t.logging);
  if (working) return { name, status: 'pass', detail: `trail ${working.name} logs write management events in ${where}` };
  if (trails.length === 0) return { name, status: 'fail', detail: `no trail covers ${where}`, fix: FIX };
  const notes = trails.map((t) => `${t.name}: ${t.logsWrites ? 'logs management events but is stopped' : 'does not log write management events'}`);
  return { name, status: 'fail', detail: notes.join('; '), fix: FIX };
}
