import { ASSIGNMENT_UNSUPPORTED_FIX } from '../shared/adapters/app-assignments.js';
import { awsErrorName } from '../shared/adapters/sdk-errors.js';
import type { OperatorSyncConfig } from '../shared/config/operator-config.js';
import type { DoctorReads } from '../shared/composition/cli.js';
import { SyncError } from '../shared/core/errors.js';

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';
export interface CheckResult {
  name: string;
  status: CheckStatus;
  detail: string;
  fix?: string;
}

export interface DoctorContext {
  config: OperatorSyncConfig;
  /** The account's facts, and the reads the sync itself makes (groups, members, security profiles), through adapters. */
  reads: DoctorReads;
  /** The Connect instance's region (from its ARN, else the CLI's region). */
  connectRegion?: string;
}

const IDENTITY_CENTER_HOME =
  'run doctor with credentials of the account that holds Identity Center (management or delegated administrator ' +
  'account) and set IDENTITY_CENTER_REGION to its home region, or set IDENTITY_CENTER_ROLE_ARN to a role there';

/** The AWS error an adapter classified (its cause), else the error itself. */
const awsError = (error: unknown): unknown => (error instanceof SyncError && error.cause !== undefined ? error.cause : error);

/** A read's answer, or `{ failed }` with what it threw (for a check whose failure is a result of its own). */
const attempt = <T>(read: Promise<T>): Promise<T | { failed: unknown }> => read.catch((failed: unknown) => ({ failed }));

/** The message of an error, as AWS said it, for a check's detail line. */
export function reason(error: unknown): string {
  const e = awsError(error);
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

export async function checkCredentials({ reads }: DoctorContext): Promise<CheckResult> {
  const who = await reads.deployment.caller();
  return { name: 'credentials', status: 'pass', detail: `account ${who.account ?? '?'} as ${who.arn ?? '?'}` };
}

export async function checkRole({ config, reads }: DoctorContext): Promise<CheckResult> {
  const name = 'identity-center-role';
  const roleArn = config.identityCenterRoleArn;
  if (!roleArn) return { name, status: 'skip', detail: 'IDENTITY_CENTER_ROLE_ARN not set: Identity Center is called with the function\'s own credentials' };
  try {
    if ((await reads.deployment.assumeRole(roleArn, config.identityCenterExternalId)) === 'denied') {
      // Expected: the documented role trusts only the functions' roles, not an operator.
      return {
        name, status: 'skip', detail: `${roleArn} trusts only the functions' roles (your credentials cannot assume it, as intended)`,
        fix: 'to check Identity Center, run doctor with credentials of the Identity Center account and IDENTITY_CENTER_ROLE_ARN unset',
      };
    }
    return { name, status: 'warn', detail: `assumed ${roleArn} with your credentials`, fix: 'the role should trust only the functions\' roles (infra/identity-center-role.yml): check its trust policy' };
  } catch (error) {
    return { name, status: 'fail', detail: `cannot assume ${roleArn}: ${reason(error)}`, fix: 'check IDENTITY_CENTER_ROLE_ARN' };
  }
}

/**
 * The store exists when a read succeeds. Whether it is writable cannot be read: no API says "provisioned by SCIM".
 * The hint available read-only: users provisioned by an external identity provider usually carry ExternalIds.
 */
export async function checkIdentityStore({ config, reads }: DoctorContext): Promise<CheckResult> {
  const name = 'identity-store';
  const store = config.identityStoreId;
  const page = await attempt(reads.deployment.storeUsers(store));
  if (page && 'failed' in page) return { name, status: 'fail', detail: `${store}: ${reason(page.failed)}`, fix: IDENTITY_CENTER_HOME };
  if (!page) {
    return { name, status: 'fail', detail: `${store}: no such identity store`, fix: `check IDENTITY_STORE_ID (IAM Identity Center > Settings > Identity store ID); ${IDENTITY_CENTER_HOME}` };
  }
  if (page.external > 0 && config.createUsers) {
    return {
      name, status: 'warn',
      detail: `${store} exists; ${page.external} of the first ${page.users} users carry external ids, so an external identity provider probably provisions it (SCIM), which makes it read-only to this API`,
      fix: 'if the identity source is an external IdP with automatic provisioning, provision agents there and set CREATE_USERS=false (the sync then only links)',
    };
  }
  const note = config.createUsers
    ? 'no API reports SCIM provisioning; if Settings > Identity source is an external IdP with automatic provisioning, set CREATE_USERS=false'
    : 'CREATE_USERS=false: users are linked, never created';
  return { name, status: 'pass', detail: `${store} exists (${note})` };
}

export async function checkConnectInstance({ config, reads }: DoctorContext): Promise<CheckResult> {
  const name = 'connect-instance';
  const instance = await attempt(reads.deployment.connectInstance(config.connectInstanceId));
  if (!instance || 'failed' in instance) {
    return {
      name, status: 'fail', detail: instance ? reason(instance.failed) : `no Connect instance ${config.connectInstanceId} in this account and region`,
      fix: 'check CONNECT_INSTANCE_ID and run doctor in the instance\'s account and region (AWS_REGION); the caller needs connect:DescribeInstance',
    };
  }
  const type = instance.identityManagementType ?? 'unknown';
  const alias = instance.alias ?? config.connectInstanceId;
  if (type !== 'SAML') {
    return {
      name, status: 'fail', detail: `${alias} uses ${type} identity management, not SAML: Identity Center sign-in does not apply to this instance`,
      fix: 'Identity Center sign-in to Connect needs an instance created with SAML 2.0-based authentication (it cannot be changed on an existing instance)',
    };
  }
  if (instance.status && instance.status !== 'ACTIVE') {
    return { name, status: 'warn', detail: `${alias} uses SAML but is ${instance.status}`, fix: 'wait for the instance to become ACTIVE' };
  }
  const mapping = config.signInAttribute === 'email' ? '${user:email}' : '${user:userName}';
  return {
    name, status: 'pass',
    detail: `${alias} uses SAML; SIGN_IN_ATTRIBUTE=${config.signInAttribute}: the application must send RoleSessionName = ${mapping} ` +
      '(check: IAM Identity Center > Applications > Amazon Connect > Actions > Edit attribute mappings; no API reads it)',
  };
}

export async function checkApplication(context: DoctorContext, groupIds: readonly string[]): Promise<CheckResult> {
  const { config, reads } = context;
  const name = 'application';
  const arn = config.connectApplicationArn;
  if (!arn) {
    return { name, status: 'skip', detail: 'ASSIGNMENT_MODE=none and no CONNECT_APPLICATION_ARN: assign the group to the Amazon Connect application in the console' };
  }
  const app = await attempt(reads.deployment.application(arn));
  if (!app || 'failed' in app) {
    return {
      name, status: 'fail', detail: app ? reason(app.failed) : `no application ${arn}`,
      fix: `copy the Amazon Connect application's ARN from IAM Identity Center > Applications (or: aws sso-admin list-applications --instance-arn <SSO_INSTANCE_ARN>); ${IDENTITY_CENTER_HOME}`,
    };
  }
  if (config.ssoInstanceArn && app.instanceArn && app.instanceArn !== config.ssoInstanceArn) {
    return { name, status: 'fail', detail: `the application belongs to ${app.instanceArn}, not SSO_INSTANCE_ARN`, fix: 'set SSO_INSTANCE_ARN to the application\'s instance' };
  }
  const label = `${app.name ?? arn} (${app.status ?? '?'})`;
  if (config.assignmentMode === 'none') {
    return { name, status: 'pass', detail: `${label} exists; ASSIGNMENT_MODE=none: the sync never assigns, the group must be assigned in the console` };
  }
  try {
    const assigned = await reads.assignments(arn).assignedPrincipals();
    if (groupIds.length > 0 && groupIds.every((id) => assigned.has(`GROUP:${id}`))) return { name, status: 'pass', detail: `${label}: every managed group is already assigned` };
    return {
      name, status: 'warn',
      detail: `${label} exists and its assignments can be read; whether CreateApplicationAssignment accepts it cannot be told without a write`,
      fix: `after deploying, the first sync tells (replay list --code ASSIGNMENT_UNSUPPORTED). If it does not: ${ASSIGNMENT_UNSUPPORTED_FIX}`,
    };
  } catch (error) {
    if (awsErrorName(awsError(error)) === 'ValidationException') {
      return { name, status: 'fail', detail: `${label} does not accept API assignments (${reason(error)})`, fix: ASSIGNMENT_UNSUPPORTED_FIX };
    }
    return { name, status: 'fail', detail: reason(error), fix: `the caller needs sso:ListApplicationAssignments; ${IDENTITY_CENTER_HOME}` };
  }
}

export async function checkSsoInstance({ config, reads }: DoctorContext): Promise<CheckResult> {
  const name = 'sso-instance';
  if (!config.ssoInstanceArn) return { name, status: 'skip', detail: 'SSO_INSTANCE_ARN not set (ASSIGNMENT_MODE=none)' };
  const instances = await reads.deployment.ssoInstances();
  const instance = instances.find((i) => i.instanceArn === config.ssoInstanceArn);
  if (!instance) {
    const found = instances.map((i) => `${i.instanceArn ?? '?'} (store ${i.identityStoreId ?? '?'})`).join(', ');
    return { name, status: 'fail', detail: `${config.ssoInstanceArn} not found${found ? `; visible: ${found}` : ''}`, fix: IDENTITY_CENTER_HOME };
  }
  if (instance.identityStoreId !== config.identityStoreId) {
    return {
      name, status: 'fail', detail: `the instance's identity store is ${instance.identityStoreId ?? '?'}, not IDENTITY_STORE_ID ${config.identityStoreId}`,
      fix: 'use the identity store id of the same Identity Center instance',
    };
  }
  return { name, status: 'pass', detail: `${config.ssoInstanceArn} uses identity store ${config.identityStoreId}` };
}

const TRAIL_FIX =
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
  if (trails.length === 0) return { name, status: 'fail', detail: `no trail covers ${where}`, fix: TRAIL_FIX };
  const notes = trails.map((t) => `${t.name}: ${t.logsWrites ? 'logs management events but is stopped' : 'does not log write management events'}`);
  return { name, status: 'fail', detail: notes.join('; '), fix: TRAIL_FIX };
}

/**
 * `doctor --federation-role ARN`: may the IAM role that agents assume through SAML call `connect:GetFederationToken` on
 * the instance's users? Without it the agent sees "Access denied, Please contact your AWS account administrator".
 * The usual policy names `arn:aws:connect:REGION:ACCOUNT:instance/ID/user/${aws:userid}`: the simulation gives
 * `aws:userid` the value of an assumed-role session (role id, a colon, the session name) and asks for that user's ARN.
 */
export async function checkFederationRole({ config, reads }: DoctorContext, roleArn: string | undefined): Promise<CheckResult> {
  const name = 'federation-role';
  if (!roleArn) return { name, status: 'skip', detail: 'no --federation-role given (the IAM role Identity Center\'s SAML assertion names)' };
  const instanceArn = (await reads.deployment.connectInstance(config.connectInstanceId))?.arn;
  if (!instanceArn) {
    return { name, status: 'skip', detail: 'the instance\'s ARN is unknown', fix: 'give CONNECT_INSTANCE_ID as the instance ARN so the user resource can be named' };
  }
  const session = 'AROAEXAMPLEROLEID00000:agent@example.com';
  try {
    const decision = await reads.deployment.policyDecision(roleArn, 'connect:GetFederationToken', `${instanceArn}/user/${session}`, session);
    if (decision === 'allowed') return { name, status: 'pass', detail: `${roleArn} may call connect:GetFederationToken on the instance's users` };
    return {
      name, status: 'fail', detail: `${roleArn}: connect:GetFederationToken is ${decision ?? 'not decided'} on the instance's users`,
      fix: `allow connect:GetFederationToken on ${instanceArn}/user/\${aws:userid} in the role's policy (agents otherwise see "Access denied, Please contact your AWS account administrator")`,
    };
  } catch (error) {
    return { name, status: 'fail', detail: `could not simulate the role's policy: ${reason(error)}`, fix: 'the caller needs iam:SimulatePrincipalPolicy on the role; check the role ARN' };
  }
}
