import {
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  type AdvancedEventSelector,
  type CloudTrailClient,
  type EventSelector,
} from '@aws-sdk/client-cloudtrail';
import { DescribeInstanceCommand, type ConnectClient } from '@aws-sdk/client-connect';
import { SimulatePrincipalPolicyCommand, type IAMClient } from '@aws-sdk/client-iam';
import { ListUsersCommand, type IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { DescribeApplicationCommand, ListInstancesCommand, type SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { AssumeRoleCommand, GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import type { DeploymentReads } from '../core/ports/index.js';
import { paginate } from './paginate.js';
import { call, classifySdkError, failureKind, isNotFound } from './sdk-errors.js';

const CONNECT = 'connect.amazonaws.com';

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

/** A read whose "not found" answer means "no such thing": undefined; any other failure is thrown classified. */
async function found<T>(what: string, send: () => Promise<T>): Promise<T | undefined> {
  try {
    return await send();
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw classifySdkError(error, what);
  }
}

export interface DeploymentClients {
  sts: STSClient;
  identityStore: IdentitystoreClient;
  connect: ConnectClient;
  ssoAdmin: SSOAdminClient;
  iam: IAMClient;
  /** The client of the Connect instance's region: its trails are the ones that matter. */
  cloudTrail: CloudTrailClient;
}

/** What `doctor` reads of the account, read-only, over the SDK. */
export function deploymentReadsAdapter(clients: DeploymentClients): DeploymentReads {
  const { sts, identityStore, connect, ssoAdmin, iam, cloudTrail } = clients;
  return {
    async caller() {
      const who = await call('sts:GetCallerIdentity', () => sts.send(new GetCallerIdentityCommand({})));
      return { account: who.Account, arn: who.Arn };
    },

    async assumeRole(roleArn, externalId) {
      try {
        await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'connect-sso-sync-doctor', DurationSeconds: 900, ExternalId: externalId }));
        return 'assumed';
      } catch (error) {
        if (failureKind(error) === 'access-denied') return 'denied';
        throw classifySdkError(error, 'sts:AssumeRole');
      }
    },

    async storeUsers(identityStoreId) {
      const out = await found('identitystore:ListUsers', () => identityStore.send(new ListUsersCommand({ IdentityStoreId: identityStoreId, MaxResults: 50 })));
      const users = out?.Users ?? [];
      return out && { users: users.length, external: users.filter((u) => (u.ExternalIds ?? []).length > 0).length };
    },

    async connectInstance(instanceId) {
      const out = await found('connect:DescribeInstance', () => connect.send(new DescribeInstanceCommand({ InstanceId: instanceId })));
      const i = out?.Instance;
      return out && { arn: i?.Arn, alias: i?.InstanceAlias, identityManagementType: i?.IdentityManagementType, status: i?.InstanceStatus };
    },

    async application(applicationArn) {
      const app = await found('sso:DescribeApplication', () => ssoAdmin.send(new DescribeApplicationCommand({ ApplicationArn: applicationArn })));
      return app && { name: app.Name, status: app.Status, instanceArn: app.InstanceArn };
    },

    async ssoInstances() {
      const instances: { instanceArn?: string; identityStoreId?: string }[] = [];
      const pages = paginate((token) => call('sso:ListInstances', () => ssoAdmin.send(new ListInstancesCommand({ NextToken: token }))));
      for await (const out of pages) for (const i of out.Instances ?? []) instances.push({ instanceArn: i.InstanceArn, identityStoreId: i.IdentityStoreId });
      return instances;
    },

    async trails(region) {
      const { trailList = [] } = await call('cloudtrail:DescribeTrails', () => cloudTrail.send(new DescribeTrailsCommand({ includeShadowTrails: true })));
      return trailList
        .filter((t) => t.IsMultiRegionTrail || !region || t.HomeRegion === region)
        .map((t) => ({ id: t.TrailARN ?? t.Name, name: t.Name }));
    },

    async logsWrites(trailId) {
      const out = await call('cloudtrail:GetEventSelectors', () => cloudTrail.send(new GetEventSelectorsCommand({ TrailName: trailId })));
      return out.AdvancedEventSelectors?.length ? advancedSelectorsLogWrites(out.AdvancedEventSelectors) : basicSelectorsLogWrites(out.EventSelectors ?? []);
    },

    async isLogging(trailId) {
      const out = await call('cloudtrail:GetTrailStatus', () => cloudTrail.send(new GetTrailStatusCommand({ Name: trailId })));
      return out.IsLogging !== false;
    },

    async policyDecision(roleArn, action, resourceArn, userid) {
      const out = await call('iam:SimulatePrincipalPolicy', () =>
        iam.send(
          new SimulatePrincipalPolicyCommand({
            PolicySourceArn: roleArn,
            ActionNames: [action],
            ResourceArns: [resourceArn],
            ContextEntries: [{ ContextKeyName: 'aws:userid', ContextKeyType: 'string', ContextKeyValues: [userid] }],
          }),
        ),
      );
      return out.EvaluationResults?.[0]?.EvalDecision;
    },
  };
}
