import { ConnectClient } from '@aws-sdk/client-connect';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { currentAbortSignal } from '../adapters/abort.js';

export interface ClientSettings {
  /** Identity Center in another account: its clients use this role's credentials. */
  identityCenterRoleArn?: string;
  /** Sent as sts:ExternalId when assuming the role (its trust policy requires it). */
  identityCenterExternalId?: string;
  /** Identity Center in another region than the function. */
  identityCenterRegion?: string;
  /**
   * Divides the SDK's retry backoff (local runs only: the emulated AWS clock runs this many times faster, its rate
   * limits, Retry-After, visibility and function timeouts are all scaled, so the backoff between attempts is too).
   */
  retryDelayScale?: number;
}

/**
 * The HTTP handler of every client: requests made while a record is processed carry that invocation's abort signal
 * (abort.ts), so the records a timed-out invocation gives back stop their AWS calls instead of resuming when the
 * container thaws and racing the redelivery.
 */
class AbortingHttpHandler extends NodeHttpHandler {
  override handle(...[request, options = {}]: Parameters<NodeHttpHandler['handle']>) {
    return super.handle(request, { ...options, abortSignal: options.abortSignal ?? currentAbortSignal() });
  }
}

// The SDK's standard retry mode (exponential backoff with jitter, honouring Retry-After). Connect's 2 requests/s
// is respected proactively by the pacer (adapters/pacer.ts). Adaptive mode was measured and rejected: its
// client-side limiter collapses under sporadic throttling (a 200-user fault run with 20% throttles: adaptive sent
// 204 users to the dead-letter queue in 344 s, standard none in 35 s). More attempts for Connect, the tightest limit.
// Region and endpoint come from the standard settings (AWS_REGION, AWS_ENDPOINT_URL_*).
function retry(maxAttempts: number, delayScale = 1) {
  const common = { maxAttempts, requestHandler: new AbortingHttpHandler() };
  if (delayScale === 1) return { ...common, retryMode: 'standard' as const };
  // The standard mode's backoff (full jitter, 1 s base for throttling, at most 20 s), compressed by delayScale.
  const backoff = (attempt: number) => Math.floor((Math.random() * Math.min(1000 * 2 ** attempt, 20_000)) / delayScale);
  return { ...common, retryStrategy: new ConfiguredRetryStrategy(maxAttempts, backoff) };
}

export const createSqsClient = (delayScale?: number) => new SQSClient(retry(5, delayScale));

/**
 * Builds the SDK clients once per cold start: more attempts for Connect, the tightest limit; the clients of Identity
 * Center (Identity Store, SSO Admin) with another account's role and region when configured.
 */
export function createClients(settings: ClientSettings = {}) {
  const { identityCenterRoleArn: RoleArn, identityCenterExternalId: ExternalId, identityCenterRegion: region, retryDelayScale: scale } = settings;
  const credentials = RoleArn
    ? fromTemporaryCredentials({
        params: { RoleArn, RoleSessionName: 'connect-sso-sync', ...(ExternalId && { ExternalId }) },
        clientConfig: region ? { region } : undefined,
      })
    : undefined;
  const identityCenter = () => ({ ...retry(5, scale), ...(region && { region }), ...(credentials && { credentials }) });
  return {
    connect: new ConnectClient(retry(8, scale)),
    identityStore: new IdentitystoreClient(identityCenter()),
    ssoAdmin: new SSOAdminClient(identityCenter()),
    sqs: createSqsClient(scale),
    dynamodb: new DynamoDBClient(retry(5, scale)),
  };
}

export type AwsClients = ReturnType<typeof createClients>;
