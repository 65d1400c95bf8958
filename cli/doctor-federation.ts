import type { CheckResult, DoctorContext } from './doctor-checks.js';
import { reason } from './doctor-checks.js';

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
