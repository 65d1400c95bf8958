import { loadOperatorSyncConfig } from '../shared/config/operator-config.js';
import { composeDoctorCommand, type CliClients } from '../shared/composition/cli.js';
import { unreachable } from './aws.js';
import { checkManagedGroups, checkProtectedGroups, checkSecurityProfiles } from './doctor-groups.js';
import {
  checkApplication, checkCloudTrail, checkConnectInstance, checkCredentials, checkFederationRole, checkIdentityStore, checkRole, checkSsoInstance,
  reason, type CheckResult, type DoctorContext,
} from './doctor-checks.js';
import { commandArgs, type CliIo } from './io.js';
import { ok, okUnless, unchecked, type Outcome } from './outcome.js';

export const DOCTOR_HELP = `Usage: connect-sso-sync doctor [options]

Checks a configuration against the account before deploying, read-only (it changes nothing). One line per check
(PASS, WARN, FAIL, SKIP) with a fix for anything that is not a pass:

  credentials            the caller's AWS credentials work (sts:GetCallerIdentity)
  identity-center-role   IDENTITY_CENTER_ROLE_ARN can be assumed (sts:AssumeRole), when set
  identity-store         IDENTITY_STORE_ID exists; hints whether an external IdP provisions it (then CREATE_USERS=false)
  sso-instance           SSO_INSTANCE_ARN exists and owns IDENTITY_STORE_ID
  connect-instance       CONNECT_INSTANCE_ID exists and uses SAML identity management; the sign-in attribute in force
                         (SIGN_IN_ATTRIBUTE) and where to check the application's RoleSessionName mapping
  managed-groups         the managed groups (GROUP_MAPPING, else AGENT_GROUP_NAME) exist; prints the managedGroupIds
                         parameter to deploy with (IAM lets the function change the members of these groups only)
  protected-groups       PROTECTED_GROUPS exist, and how many users they hold (never linked, updated or deprovisioned)
  security-profiles      GROUP_MAPPING names security profiles the instance has
  application            CONNECT_APPLICATION_ARN exists; whether it takes API assignments (as far as reads tell)
  cloudtrail             a trail logs write management events in the Connect instance's region
  federation-role        with --federation-role ARN: the IAM role agents assume through SAML may call
                         connect:GetFederationToken on the instance's users (iam:SimulatePrincipalPolicy)

Options:
  --federation-role ARN  the IAM role named in the application's SAML Role attribute
  --json                 the results as JSON
  -h, --help             this help

Configuration: the same environment variables as the deployed function (DLQ_URL not needed).
Exit status: 0 no check failed, 1 a check failed, 2 could not check (usage, configuration, credentials).`;

const OPTIONS = { 'federation-role': { type: 'string' } } as const;

const NETWORK_FIX = 'check the endpoint (AWS_ENDPOINT_URL_*, AWS_REGION) and that it is running (locally: npm start -- --serve)';
const REGION_OF_ARN = /^arn:[^:]+:connect:([a-z0-9-]+):/;

export async function runDoctor(argv: string[], io: CliIo, clients?: CliClients): Promise<Outcome> {
  const args = commandArgs(argv, OPTIONS, DOCTOR_HELP, io);
  if (!args) return ok();
  const { values } = args;
  const config = loadOperatorSyncConfig(io.env);
  const connectRegion = REGION_OF_ARN.exec(io.env.CONNECT_INSTANCE_ID ?? '')?.[1] ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION;
  const context: DoctorContext = { config, reads: composeDoctorCommand(config, connectRegion, clients), connectRegion };

  const guard = async <T extends CheckResult>(name: string, check: () => Promise<T>): Promise<T | CheckResult> => {
    try {
      return await check();
    } catch (error) {
      const network = unreachable(error);
      if (network) return { name, status: 'fail', detail: `could not check: ${network.replace(/: is the endpoint.*$/, '')}`, fix: NETWORK_FIX };
      return { name, status: 'fail', detail: `could not check: ${reason(error)}`, fix: 'see the error; the caller may lack a read permission' };
    }
  };

  const credentials = await guard('credentials', () => checkCredentials(context));
  if (credentials.status === 'fail') {
    // Unreachable is not a credentials problem: its fix stays the endpoint's.
    if (credentials.fix !== NETWORK_FIX) credentials.fix = 'set AWS_PROFILE (after aws sso login) or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, and AWS_REGION';
    print([credentials], values.json, io);
    // No check can run without working credentials: could not check, not a failed check.
    return unchecked();
  }
  const groups = await guard('managed-groups', () => checkManagedGroups(context));
  const results: CheckResult[] = [
    credentials,
    await guard('identity-center-role', () => checkRole(context)),
    await guard('identity-store', () => checkIdentityStore(context)),
    await guard('sso-instance', () => checkSsoInstance(context)),
    await guard('connect-instance', () => checkConnectInstance(context)),
    groups,
    await guard('protected-groups', () => checkProtectedGroups(context)),
    await guard('security-profiles', () => checkSecurityProfiles(context)),
    await guard('application', () => checkApplication(context, 'groupIds' in groups ? groups.groupIds : [])),
    await guard('cloudtrail', () => checkCloudTrail(context)),
    await guard('federation-role', () => checkFederationRole(context, values['federation-role'])),
  ];
  print(results, values.json, io);
  return okUnless(results.some((r) => r.status === 'fail'));
}

function print(results: CheckResult[], json: boolean, io: CliIo): void {
  if (json) {
    io.out(JSON.stringify({ checks: results.map(({ name, status, detail, fix }) => ({ name, status, detail, fix })) }, null, 2));
    return;
  }
  const width = Math.max(...results.map((r) => r.name.length));
  for (const r of results) {
    io.out(`${r.status.toUpperCase().padEnd(4)}  ${r.name.padEnd(width)}  ${r.detail}`);
    if (r.fix && r.status !== 'pass') io.out(`${' '.repeat(width + 8)}fix: ${r.fix}`);
  }
  const count = (s: string) => results.filter((r) => r.status === s).length;
  io.out('');
  io.out(`${count('pass')} passed, ${count('warn')} warning(s), ${count('fail')} failed, ${count('skip')} skipped. Nothing was changed.`);
}
