/**
 * infra/identity-center-role.yml, the role an administrator deploys in the Identity Center account: who may assume it
 * (exactly the two function roles, with the external id), what it may do (scoped like the same-account roles: the
 * managed groups only, mode-dependent statements only in their mode) and what it refuses as parameters.
 * tests/package/template.test.ts checks that it grants what serverless.yml grants in the same account.
 */
import { join } from 'node:path';
import { actionsOf, deployed, grants, holds, resourcesOf, roleStatements, type Deployment, type Statement } from '../support/cloudformation.js';
import { REPO_ROOT, type Json, type JsonObject } from '../support/osls-package.js';
import { loadServerlessConfig } from '../../local/emulator/serverless-config.js';
import { DIRECTORY_COUNTERPARTS } from '../../infra/params.js';

const template = loadServerlessConfig(join(REPO_ROOT, 'infra', 'identity-center-role.yml')) as JsonObject;
const ACCOUNT = '222222222222';
const SYNC_ROLE = 'arn:aws:iam::111111111111:role/connect-sso-sync-prod-eu-west-2-sync';
const RECONCILE_ROLE = 'arn:aws:iam::111111111111:role/connect-sso-sync-prod-eu-west-2-reconcile';
const GROUP_A = '9067a1b2c3-1111aaaa-2222-4333-8444-555566667777';
const GROUP_B = '9067a1b2c3-8888bbbb-9999-4aaa-8bbb-ccccddddeeee';
const APPLICATION = 'arn:aws:sso::222222222222:application/ssoins-1234567890abcdef/apl-1234567890abcdef';
const SSO_INSTANCE = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';
const STORE = `arn:aws:identitystore::${ACCOUNT}:identitystore/d-1234567890`;
const PARAMETERS = {
  SyncFunctionRoleArn: SYNC_ROLE,
  ReconcileFunctionRoleArn: RECONCILE_ROLE,
  ExternalId: 'connect-sso-sync-prod',
  IdentityStoreId: 'd-1234567890',
  ManagedGroupIds: `${GROUP_A},${GROUP_B}`,
  SsoInstanceArn: SSO_INSTANCE,
  ApplicationArn: APPLICATION,
};

const role = (name = 'IdentityCenterRole'): JsonObject => {
  const resources = deployed(template, { accountId: ACCOUNT, parameters: PARAMETERS }).Resources as JsonObject;
  return resources[name] as JsonObject;
};
const statements = (parameters: Record<string, string> = {}, deployment: Deployment = {}, name = 'IdentityCenterRole'): Statement[] =>
  roleStatements(deployed(template, { accountId: ACCOUNT, ...deployment, parameters: { ...PARAMETERS, ...parameters } }), name);
const readStatements = (parameters: Record<string, string> = {}) => statements(parameters, {}, 'IdentityCenterReadRole');
const parameter = (name: string): JsonObject => (template.Parameters as JsonObject)[name] as JsonObject;

/** The Rules section as CloudFormation applies it: every assertion of a rule whose condition holds must hold. */
function failedRules(parameters: Record<string, string>): string[] {
  const deployment = { parameters: { ...PARAMETERS, ...parameters } };
  return Object.entries(template.Rules as JsonObject)
    .filter(([, rule]) => {
      const { RuleCondition, Assertions } = rule as { RuleCondition?: Json; Assertions: { Assert: Json }[] };
      if (RuleCondition !== undefined && !holds(template, RuleCondition, deployment)) return false;
      return Assertions.some((assertion) => !holds(template, assertion.Assert, deployment));
    })
    .map(([name]) => name);
}

describe('trust policy', () => {
  it('the writing role trusts exactly the syncUser role, the read-only role exactly the reconcile role, only with the external id', () => {
    const trust = (name: string) => ((role(name).Properties as JsonObject).AssumeRolePolicyDocument as JsonObject).Statement;
    const condition = { StringEquals: { 'sts:ExternalId': 'connect-sso-sync-prod' } };

    expect(trust('IdentityCenterRole')).toEqual([
      { Sid: 'ConnectSsoSyncFunctions', Effect: 'Allow', Principal: { AWS: [SYNC_ROLE] }, Action: 'sts:AssumeRole', Condition: condition },
    ]);
    expect(trust('IdentityCenterReadRole')).toEqual([
      { Sid: 'ConnectSsoSyncReconcile', Effect: 'Allow', Principal: { AWS: [RECONCILE_ROLE] }, Action: 'sts:AssumeRole', Condition: condition },
    ]);
  });

  it('the read-only role can write nothing, in any mode', () => {
    for (const modes of [{}, { AssignmentMode: 'user', Deprovision: 'delete' }] as Record<string, string>[]) {
      const writes = actionsOf(readStatements(modes)).filter((a) => !/:(Get|Describe|List|IsMember|Search)/.test(a));
      expect(writes).toEqual([]);
    }
  });

  it('has no default for the role ARNs, the external id, the store or the groups: an administrator must name them', () => {
    for (const name of ['SyncFunctionRoleArn', 'ReconcileFunctionRoleArn', 'ExternalId', 'IdentityStoreId', 'ManagedGroupIds']) {
      expect(parameter(name).Default).toBeUndefined();
    }
  });

  it.each([
    ['SyncFunctionRoleArn', ['*', 'arn:aws:iam::111111111111:root', 'arn:aws:iam::111111111111:role/*x '], [SYNC_ROLE]],
    ['ExternalId', ['', 'x', 'has space'], ['connect-sso-sync-prod']],
    ['ManagedGroupIds', ['*', `${GROUP_A},*`, `${GROUP_A},`, 'group/*'], [GROUP_A, `${GROUP_A},${GROUP_B}`]],
  ])('%s refuses values that would widen the trust or the scope', (name, refused, accepted) => {
    const pattern = new RegExp(String(parameter(name).AllowedPattern));

    for (const value of refused) expect({ value, ok: pattern.test(value) }).toEqual({ value, ok: false });
    for (const value of accepted) expect({ value, ok: pattern.test(value) }).toEqual({ value, ok: true });
  });
});

describe('permissions', () => {
  it('membership writes reach exactly the managed groups, in the partition the stack runs in', () => {
    for (const action of ['identitystore:CreateGroupMembership', 'identitystore:DeleteGroupMembership']) {
      expect(resourcesOf(statements(), action).filter((arn) => arn.includes(':group/'))).toEqual([
        `arn:aws:identitystore:::group/${GROUP_A}`,
        `arn:aws:identitystore:::group/${GROUP_B}`,
      ]);
      expect(resourcesOf(statements({}, { partition: 'aws-us-gov' }), action).filter((arn) => arn.includes(':group/'))).toEqual([
        `arn:aws-us-gov:identitystore:::group/${GROUP_A}`,
        `arn:aws-us-gov:identitystore:::group/${GROUP_B}`,
      ]);
    }
    expect(resourcesOf(statements({ ManagedGroupIds: GROUP_B }, { partition: 'aws-cn' }), 'identitystore:CreateGroupMembership')).toContain(
      `arn:aws-cn:identitystore:::group/${GROUP_B}`,
    );
  });

  it('never creates groups and names no wildcard action', () => {
    const actions = actionsOf(statements());

    expect(actions).not.toContain('identitystore:CreateGroup');
    expect(actions.filter((a) => a.includes('*'))).toEqual([]);
  });

  it('the default modes: create and update users, assign the application, check ownership; no deletes of users or assignments', () => {
    const actions = actionsOf(statements());

    expect(resourcesOf(statements(), 'identitystore:CreateUser')).toEqual([STORE, 'arn:aws:identitystore:::user/*'].sort());
    expect(resourcesOf(statements(), 'identitystore:UpdateUser')).toEqual([STORE, 'arn:aws:identitystore:::user/*'].sort());
    expect(resourcesOf(statements(), 'sso:CreateApplicationAssignment')).toEqual([APPLICATION]);
    expect(resourcesOf(statements(), 'sso:ListAccountAssignmentsForPrincipal')).toEqual([SSO_INSTANCE]);
    expect(resourcesOf(readStatements(), 'sso:ListApplicationAssignments')).toEqual([APPLICATION]);
    expect(actions).not.toContain('identitystore:DeleteUser');
    expect(actions).not.toContain('sso:DeleteApplicationAssignment');
    expect(actions).not.toContain('kms:Decrypt');
  });

  it('user mode with deprovision=delete and no creation or updates', () => {
    const actions = actionsOf(statements({ AssignmentMode: 'user', Deprovision: 'delete', CreateUsers: 'false', UpdateIdentity: 'none' }));

    expect(actions).toEqual(expect.arrayContaining(['identitystore:DeleteUser', 'sso:DeleteApplicationAssignment', 'sso:ListAccountAssignmentsForPrincipal']));
    expect(actions).not.toContain('identitystore:CreateUser');
    expect(actions).not.toContain('identitystore:UpdateUser');
  });

  it('no assignments and no ownership checks: no SSO grant but reading the application, and never an empty Resource', () => {
    const modes = { AssignmentMode: 'none', UpdateIdentity: 'none', Deprovision: 'none', SsoInstanceArn: '' };
    const none = [...statements(modes), ...readStatements(modes)];

    expect(actionsOf(none).filter((a) => a.startsWith('sso:'))).toEqual(['sso:ListApplicationAssignments']);
    const bare = [...statements({ ...modes, ApplicationArn: '' }), ...readStatements({ ...modes, ApplicationArn: '' })];

    expect(actionsOf(bare).filter((a) => a.startsWith('sso:'))).toEqual([]);
    for (const statement of [...none, ...bare]) {
      expect(statement.Resource.length).toBeGreaterThan(0);
      expect(statement.Resource).not.toContain('');
    }
  });

  it('kms:Decrypt on the identity store key only when one is given', () => {
    const key = 'arn:aws:kms:eu-west-2:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab';

    expect(grants(statements({ IdentityStoreKmsKeyArn: key })).filter((g) => g.startsWith('kms:'))).toEqual([`kms:Decrypt ${key}`]);
  });
});

describe('parameter rules', () => {
  it('refuse assignments without the application and instance, and ownership checks without the instance', () => {
    expect(failedRules({})).toEqual([]);
    expect(failedRules({ ApplicationArn: '' })).toEqual(['AssignmentsNeedTheApplication']);
    expect(failedRules({ AssignmentMode: 'none', SsoInstanceArn: '' })).toEqual(['OwnershipChecksNeedTheInstance']);
    expect(failedRules({ AssignmentMode: 'none', UpdateIdentity: 'none', SsoInstanceArn: '', ApplicationArn: '' })).toEqual([]);
  });

  it('the stack outputs the role ARNs for identityCenterRoleArn and identityCenterReadRoleArn', () => {
    // !GetAtt IdentityCenterRole.Arn (the short form's dotted string, as CloudFormation reads it).
    expect((template.Outputs as JsonObject).RoleArn).toMatchObject({ Value: { 'Fn::GetAtt': 'IdentityCenterRole.Arn' } });
    expect((template.Outputs as JsonObject).ReadRoleArn).toMatchObject({ Value: { 'Fn::GetAtt': 'IdentityCenterReadRole.Arn' } });
  });
});

describe('sso-directory counterparts (Service Authorization Reference)', () => {
  it('come with every Identity Store action each role has, and only with those', () => {
    const counterparts = (actions: string[]) => [...new Set(actions.flatMap((a) => DIRECTORY_COUNTERPARTS[a] ?? []))].sort();

    for (const modes of [{}, { AssignmentMode: 'user', Deprovision: 'delete', CreateUsers: 'false', UpdateIdentity: 'none' }] as Record<string, string>[]) {
      for (const granted of [statements(modes), readStatements(modes)]) {
        const actions = actionsOf(granted);
        expect(actions.filter((a) => a.startsWith('sso-directory:')).sort()).toEqual(counterparts(actions));
      }
    }
  });
});
