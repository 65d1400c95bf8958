import { DescribeInstanceCommand } from '@aws-sdk/client-connect';
import { ListUsersCommand } from '@aws-sdk/client-identitystore';
import { DescribeApplicationCommand, ListApplicationAssignmentsCommand, ListInstancesCommand } from '@aws-sdk/client-sso-admin';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { ASSIGNMENT_UNSUPPORTED_FIX } from '../shared/adapters/app-assignments.js';
import { awsErrorName, failureKind, isNotFound } from '../shared/adapters/sdk-errors.js';
import type { OperatorSyncConfig } from '../shared/config/operator-config.js';
import type { CliClients, DoctorReads } from '../shared/composition/cli.js';

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';
export interface CheckResult {
  name: string;
  status: CheckStatus;
  detail: string;
  fix?: string;
}

export interface DoctorContext {
  config: OperatorSyncConfig;
  clients: CliClients;
  /** The reads the sync itself makes (groups, members, security profiles), through its adapters. */
  reads: DoctorReads;
  /** The Connect instance's region (from its ARN, else the CLI's region). */
  connectRegion?: string;
}

const IDENTITY_CENTER_HOME =
  'run doctor with credentials of the account that holds Identity Center (management or delegated administrator ' +
  'account) and set IDENTITY_CENTER_REGION to its home region, or set IDENTITY_CENTER_ROLE_ARN to a role there';

/** The message of an error, for a check's detail line. */
export const reason = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

export async function checkCredentials({ clients }: DoctorContext): Promise<CheckResult> {
  const who = await clients.sts.send(new GetCallerIdentityCommand({}));
  return { name: 'credentials', status: 'pass', detail: `account ${who.Account ?? '?'} as ${who.Arn ?? '?'}` };
}

export async function checkRole({ config, clients }: DoctorContext): Promise<CheckResult> {
  const name = 'identity-center-role';
  const roleArn = config.identityCenterRoleArn;
  if (!roleArn) return { name, status: 'skip', detail: 'IDENTITY_CENTER_ROLE_ARN not set: Identity Center is called with the function\'s own credentials' };
  try {
    await clients.sts.send(
      new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'connect-sso-sync-doctor', DurationSeconds: 900, ExternalId: config.identityCenterExternalId }),
    );
    return { name, status: 'warn', detail: `assumed ${roleArn} with your credentials`, fix: 'the role should trust only the functions\' roles (infra/identity-center-role.yml): check its trust policy' };
  } catch (error) {
    if (failureKind(error) === 'access-denied') {
      // Expected: the documented role trusts only the functions' roles, not an operator.
      return {
        name, status: 'skip', detail: `${roleArn} trusts only the functions' roles (your credentials cannot assume it, as intended)`,
        fix: 'to check Identity Center, run doctor with credentials of the Identity Center account and IDENTITY_CENTER_ROLE_ARN unset',
      };
    }
    return { name, status: 'fail', detail: `cannot assume ${roleArn}: ${reason(error)}`, fix: 'check IDENTITY_CENTER_ROLE_ARN' };
  }
}

/**
 * The store exists when a read succeeds. Whether it is writable cannot be read: no API says "provisioned by SCIM".
 * The hint available read-only: users provisioned by an external identity provider usually carry ExternalIds.
 */
export async function checkIdentityStore({ config, clients }: DoctorContext): Promise<CheckResult> {
  const name = 'identity-store';
  try {
    const out = await clients.identityStore.send(new ListUsersCommand({ IdentityStoreId: config.identityStoreId, MaxResults: 50 }));
    const external = (out.Users ?? []).filter((u) => (u.ExternalIds ?? []).length > 0).length;
    if (external > 0 && config.createUsers) {
      return {
        name, status: 'warn',
        detail: `${config.identityStoreId} exists; ${external} of the first ${out.Users?.length ?? 0} users carry external ids, so an external identity provider probably provisions it (SCIM), which makes it read-only to this API`,
        fix: 'if the identity source is an external IdP with automatic provisioning, provision agents there and set CREATE_USERS=false (the sync then only links)',
      };
    }
    const note = config.createUsers
      ? 'no API reports SCIM provisioning; if Settings > Identity source is an external IdP with automatic provisioning, set CREATE_USERS=false'
      : 'CREATE_USERS=false: users are linked, never created';
    return { name, status: 'pass', detail: `${config.identityStoreId} exists (${note})` };
  } catch (error) {
    const missing = isNotFound(error);
    return {
      name, status: 'fail', detail: `${config.identityStoreId}: ${missing ? 'no such identity store' : reason(error)}`,
      fix: missing ? `check IDENTITY_STORE_ID (IAM Identity Center > Settings > Identity store ID); ${IDENTITY_CENTER_HOME}` : IDENTITY_CENTER_HOME,
    };
  }
}

export async function checkConnectInstance({ config, clients }: DoctorContext): Promise<CheckResult> {
  const name = 'connect-instance';
  try {
    const { Instance: instance } = await clients.connect.send(new DescribeInstanceCommand({ InstanceId: config.connectInstanceId }));
    const type = instance?.IdentityManagementType ?? 'unknown';
    const alias = instance?.InstanceAlias ?? config.connectInstanceId;
    if (type !== 'SAML') {
      return {
        name, status: 'fail', detail: `${alias} uses ${type} identity management, not SAML: Identity Center sign-in does not apply to this instance`,
        fix: 'Identity Center sign-in to Connect needs an instance created with SAML 2.0-based authentication (it cannot be changed on an existing instance)',
      };
    }
    if (instance?.InstanceStatus && instance.InstanceStatus !== 'ACTIVE') {
      return { name, status: 'warn', detail: `${alias} uses SAML but is ${instance.InstanceStatus}`, fix: 'wait for the instance to become ACTIVE' };
    }
    const mapping = config.signInAttribute === 'email' ? '${user:email}' : '${user:userName}';
    return {
      name, status: 'pass',
      detail: `${alias} uses SAML; SIGN_IN_ATTRIBUTE=${config.signInAttribute}: the application must send RoleSessionName = ${mapping} ` +
        '(check: IAM Identity Center > Applications > Amazon Connect > Actions > Edit attribute mappings; no API reads it)',
    };
  } catch (error) {
    const missing = isNotFound(error);
    return {
      name, status: 'fail', detail: missing ? `no Connect instance ${config.connectInstanceId} in this account and region` : reason(error),
      fix: 'check CONNECT_INSTANCE_ID and run doctor in the instance\'s account and region (AWS_REGION); the caller needs connect:DescribeInstance',
    };
  }
}

export async function checkApplication(context: DoctorContext, groupIds: readonly string[]): Promise<CheckResult> {
  const { config, clients } = context;
  const name = 'application';
  const arn = config.connectApplicationArn;
  if (!arn) {
    return { name, status: 'skip', detail: 'ASSIGNMENT_MODE=none and no CONNECT_APPLICATION_ARN: assign the group to the Amazon Connect application in the console' };
  }
  let app;
  try {
    app = await clients.ssoAdmin.send(new DescribeApplicationCommand({ ApplicationArn: arn }));
  } catch (error) {
    const missing = isNotFound(error);
    return {
      name, status: 'fail', detail: missing ? `no application ${arn}` : reason(error),
      fix: `copy the Amazon Connect application's ARN from IAM Identity Center > Applications (or: aws sso-admin list-applications --instance-arn <SSO_INSTANCE_ARN>); ${IDENTITY_CENTER_HOME}`,
    };
  }
  if (config.ssoInstanceArn && app.InstanceArn && app.InstanceArn !== config.ssoInstanceArn) {
    return { name, status: 'fail', detail: `the application belongs to ${app.InstanceArn}, not SSO_INSTANCE_ARN`, fix: 'set SSO_INSTANCE_ARN to the application\'s instance' };
  }
  const label = `${app.Name ?? arn} (${app.Status ?? '?'})`;
  if (config.assignmentMode === 'none') {
    return { name, status: 'pass', detail: `${label} exists; ASSIGNMENT_MODE=none: the sync never assigns, the group must be assigned in the console` };
  }
  try {
    const out = await clients.ssoAdmin.send(new ListApplicationAssignmentsCommand({ ApplicationArn: arn }));
    const assigned = new Set((out.ApplicationAssignments ?? []).filter((a) => a.PrincipalType === 'GROUP').map((a) => a.PrincipalId));
    if (groupIds.length > 0 && groupIds.every((id) => assigned.has(id))) return { name, status: 'pass', detail: `${label}: every managed group is already assigned` };
    return {
      name, status: 'warn',
      detail: `${label} exists and its assignments can be read; whether CreateApplicationAssignment accepts it cannot be told without a write`,
      fix: `after deploying, the first sync tells (replay list --code ASSIGNMENT_UNSUPPORTED). If it does not: ${ASSIGNMENT_UNSUPPORTED_FIX}`,
    };
  } catch (error) {
    if (awsErrorName(error) === 'ValidationException') {
      return { name, status: 'fail', detail: `${label} does not accept API assignments (${reason(error)})`, fix: ASSIGNMENT_UNSUPPORTED_FIX };
    }
    return { name, status: 'fail', detail: reason(error), fix: `the caller needs sso:ListApplicationAssignments; ${IDENTITY_CENTER_HOME}` };
  }
}

export async function checkSsoInstance({ config, clients }: DoctorContext): Promise<CheckResult> {
  const name = 'sso-instance';
  if (!config.ssoInstanceArn) return { name, status: 'skip', detail: 'SSO_INSTANCE_ARN not set (ASSIGNMENT_MODE=none)' };
  const out = await clients.ssoAdmin.send(new ListInstancesCommand({}));
  const instance = (out.Instances ?? []).find((i) => i.InstanceArn === config.ssoInstanceArn);
  if (!instance) {
    const found = (out.Instances ?? []).map((i) => `${i.InstanceArn ?? '?'} (store ${i.IdentityStoreId ?? '?'})`).join(', ');
    return { name, status: 'fail', detail: `${config.ssoInstanceArn} not found${found ? `; visible: ${found}` : ''}`, fix: IDENTITY_CENTER_HOME };
  }
  if (instance.IdentityStoreId !== config.identityStoreId) {
    return {
      name, status: 'fail', detail: `the instance's identity store is ${instance.IdentityStoreId ?? '?'}, not IDENTITY_STORE_ID ${config.identityStoreId}`,
      fix: 'use the identity store id of the same Identity Center instance',
    };
  }
  return { name, status: 'pass', detail: `${config.ssoInstanceArn} uses identity store ${config.identityStoreId}` };
}
