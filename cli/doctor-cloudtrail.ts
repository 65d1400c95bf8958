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
  const notes: string[] = [];
  for (const { id, name: trailName = id } of trails) {
    if (!id) continue;
    if (!(await reads.deployment.logsWrites(id))) {
      notes.push(`${trailName}: does not log write management events`);
      continue;
    }
    if (!(await reads.deployment.isLogging(id))) {
      notes.push(`${trailName}: logs management events but is stopped`);
      continue;
    }
    return { name, status: 'pass', detail: `trail ${trailName} logs write management events in ${where}` };
  }
  if (trails.length === 0) return { name, status: 'fail', detail: `no trail covers ${where}`, fix: FIX };
  return { name, status: 'fail', detail: notes.join('; '), fix: FIX };
}
