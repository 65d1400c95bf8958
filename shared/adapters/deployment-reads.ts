import { DescribeTrailsCommand, GetEventSelectorsCommand, GetTrailStatusCommand, type CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { AdvancedEventSelector, EventSelector } from '@aws-sdk/client-cloudtrail';
import { DescribeInstanceCommand, type ConnectClient } from '@aws-sdk/client-connect';
import { SimulatePrincipalPolicyCommand, type IAMClient } from '@aws-sdk/client-iam';
import { ListUsersCommand, type IdentitystoreClient } from '@aws-sdk/client-identitystore';
import { DescribeApplicationCommand, ListInstancesCommand, type SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { AssumeRoleCommand, GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import type { DeploymentReads } from '../core/ports/index.js';
import { paginate } from './paginate.js';
import { call, callUnlessAbsent, classifySdkError, failureKind } from './sdk-errors.js';

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
    return !source?.NotEquals?.includes(CONNECT) && (!source?.Equals || source.Equals.includes(CONNECT));
  });
}

type Clients = { sts: STSClient; identityStore: IdentitystoreClient; connect: ConnectClient; ssoAdmin: SSOAdminClient; iam: IAMClient };

/** What `doctor` reads of the account, read-only, over the SDK; `cloudTrail` is the Connect instance's region's client. */
export function deploymentReadsAdapter({ sts, identityStore, connect, ssoAdmin, iam, cloudTrail }: Clients & { cloudTrail: CloudTrailClient }): DeploymentReads {
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
      const input = { IdentityStoreId: identityStoreId, MaxResults: 50 };
      const out = await callUnlessAbsent('identitystore:ListUsers', () => identityStore.send(new ListUsersCommand(input)));
      const users = out?.Users ?? [];
      return out && { users: users.length, external: users.filter((u) => (u.ExternalIds ?? []).length > 0).length };
    },

    async connectInstance(instanceId) {
      const out = await callUnlessAbsent('connect:DescribeInstance', () => connect.send(new DescribeInstanceCommand({ InstanceId: instanceId })));
      const i = out?.Instance;
      return out && { arn: i?.Arn, alias: i?.InstanceAlias, identityManagementType: i?.IdentityManagementType, status: i?.InstanceStatus };
    },

    async application(applicationArn) {
      const send = () => ssoAdmin.send(new DescribeApplicationCommand({ ApplicationArn: applicationArn }));
      const app = await callUnlessAbsent('sso:DescribeApplication', send);
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
      const covering = trailList.filter((t) => (t.TrailARN ?? t.Name) && (t.IsMultiRegionTrail || !region || t.HomeRegion === region));
      return Promise.all(covering.map(async ({ TrailARN, Name }) => {
        const id = TrailARN ?? Name ?? '';
        const selectors = await call('cloudtrail:GetEventSelectors', () => cloudTrail.send(new GetEventSelectorsCommand({ TrailName: id })));
        const logsWrites = selectors.AdvancedEventSelectors?.length
          ? advancedSelectorsLogWrites(selectors.AdvancedEventSelectors)
          : basicSelectorsLogWrites(selectors.EventSelectors ?? []);
        // Whether it is logging matters only for a trail that logs writes: no status read (nor its permission) otherwise.
        if (!logsWrites) return { name: Name ?? id, logsWrites };
        const status = await call('cloudtrail:GetTrailStatus', () => cloudTrail.send(new GetTrailStatusCommand({ Name: id })));
        return { name: Name ?? id, logsWrites, logging: status.IsLogging !== false };
      }));
    },

    async policyDecision(roleArn, action, resourceArn, userid) {
      const ContextEntries = [{ ContextKeyName: 'aws:userid', ContextKeyType: 'string' as const, ContextKeyValues: [userid] }];
      const input = { PolicySourceArn: roleArn, ActionNames: [action], ResourceArns: [resourceArn], ContextEntries };
      const out = await call('iam:SimulatePrincipalPolicy', () => iam.send(new SimulatePrincipalPolicyCommand(input)));
      return out.EvaluationResults?.[0]?.EvalDecision;
    },
  };
}
