/** STS (awsQuery: form-encoded `Action=...`, XML answers): AssumeRole and GetCallerIdentity. */
import { ApiError, ids } from './core.js';

const NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

const escapeXml = (value: string): string =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export interface AssumedRole { roleArn: string; roleSessionName: string; externalId?: string; accessKeyId: string; at: number }

export class StsService {
  readonly assumedRoles: AssumedRole[] = [];

  constructor(private readonly accountId: string) {}

  /** Returns the XML body of the answer. */
  handle(action: string, params: URLSearchParams, callerAccessKeyId: string | undefined, requestId: string): string {
    const metadata = `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata>`;
    if (action === 'AssumeRole') {
      const roleArn = params.get('RoleArn');
      const sessionName = params.get('RoleSessionName');
      if (roleArn === null || sessionName === null) throw new ApiError('ValidationError', 400, 'RoleArn and RoleSessionName are required.');
      const duration = Number(params.get('DurationSeconds') ?? '3600');
      const accessKeyId = ids.accessKey();
      this.assumedRoles.push({ roleArn, roleSessionName: sessionName, externalId: params.get('ExternalId') ?? undefined, accessKeyId, at: Date.now() });
      const roleName = roleArn.split('/').pop() ?? 'role';
      const roleAccount = roleArn.split(':')[4] ?? this.accountId;
      const expiration = new Date(Date.now() + duration * 1000).toISOString();
      return `<AssumeRoleResponse xmlns="${NS}"><AssumeRoleResult>`
        + `<Credentials><AccessKeyId>${accessKeyId}</AccessKeyId><SecretAccessKey>emulator-secret-${ids.uuid()}</SecretAccessKey>`
        + `<SessionToken>emulator-session-${ids.uuid()}</SessionToken><Expiration>${expiration}</Expiration></Credentials>`
        + `<AssumedRoleUser><AssumedRoleId>AROAEMULATOR:${escapeXml(sessionName)}</AssumedRoleId>`
        + `<Arn>arn:aws:sts::${roleAccount}:assumed-role/${escapeXml(roleName)}/${escapeXml(sessionName)}</Arn></AssumedRoleUser>`
        + `<PackedPolicySize>0</PackedPolicySize></AssumeRoleResult>${metadata}</AssumeRoleResponse>`;
    }
    if (action === 'GetCallerIdentity') {
      const assumed = this.assumedRoles.find((r) => r.accessKeyId === callerAccessKeyId);
      const account = assumed?.roleArn.split(':')[4] ?? this.accountId;
      const arn = assumed === undefined
        ? `arn:aws:iam::${this.accountId}:user/emulator`
        : `arn:aws:sts::${account}:assumed-role/${assumed.roleArn.split('/').pop() ?? 'role'}/${assumed.roleSessionName}`;
      const userId = assumed === undefined ? 'AIDAEMULATOR' : `AROAEMULATOR:${assumed.roleSessionName}`;
      return `<GetCallerIdentityResponse xmlns="${NS}"><GetCallerIdentityResult><Arn>${escapeXml(arn)}</Arn>`
        + `<UserId>${escapeXml(userId)}</UserId><Account>${account}</Account></GetCallerIdentityResult>${metadata}</GetCallerIdentityResponse>`;
    }
    throw new ApiError('InvalidAction', 400, 'Could not find the requested operation for version 2011-06-15.');
  }

  static errorXml(error: ApiError, requestId: string): string {
    const type = error.status >= 500 ? 'Receiver' : 'Sender';
    return `<ErrorResponse xmlns="${NS}"><Error><Type>${type}</Type><Code>${escapeXml(error.code)}</Code>`
      + `<Message>${escapeXml(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  }
}
