import { ConnectClient } from '@aws-sdk/client-connect';
import { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';

export interface AwsClients {
  connect: ConnectClient;
  identityStore: IdentitystoreClient;
  ssoAdmin: SSOAdminClient;
  sqs: SQSClient;
}

export interface ClientSettings {
  /** Identity Center in another account: its clients use this role's credentials. */
  identityCenterRoleArn?: string;
  /** Identity Center in another region than the function. */
  identityCenterRegion?: string;
}

// The SDK's standard retry mode (exponential backoff with jitter, honouring Retry-After). Connect's 2 requests/s
// is respected proactively by the pacer (adapters/pacer.ts). Adaptive mode was measured and rejected: its
// client-side limiter collapses under sporadic throttling (a 200-user fault run with 20% throttles: adaptive sent
// 204 users to the dead-letter queue in 344 s, standard none in 35 s). More attempts for Connect, the tightest limit.
// Region and endpoint come from the standard settings (AWS_REGION, AWS_ENDPOINT_URL_*).
const RETRY = { retryMode: 'standard' as const, maxAttempts: 5 };
const CONNECT_RETRY = { retryMode: 'standard' as const, maxAttempts: 8 };

/** The Connect client: region and endpoint from the standard settings, more attempts for the tightest limit. */
export const createConnectClient = () => new ConnectClient(CONNECT_RETRY);
export const createSqsClient = () => new SQSClient(RETRY);

/** Builds the SDK clients once per cold start. */
export function createClients(settings: ClientSettings = {}): AwsClients {
  const region = settings.identityCenterRegion;
  const credentials = settings.identityCenterRoleArn
    ? fromTemporaryCredentials({
        params: { RoleArn: settings.identityCenterRoleArn, RoleSessionName: 'connect-sso-sync' },
        clientConfig: region ? { region } : undefined,
      })
    : undefined;
  const identityCenter = { ...RETRY, ...(region && { region }), ...(credentials && { credentials }) };
  return {
    connect: createConnectClient(),
    identityStore: new IdentitystoreClient(identityCenter),
    ssoAdmin: new SSOAdminClient(identityCenter),
    sqs: createSqsClient(),
  };
}
