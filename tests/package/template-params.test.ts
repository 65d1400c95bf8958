/**
 * Package-time parameter checks (infra/params.js): one message naming every missing or malformed stage parameter,
 * the region resolution, and what is derived from the parameters. The last block packages for real, to pin what an
 * operator sees from `osls package`/`osls deploy`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as params from '../../infra/params.js';
import { checkParameters, describeProblems, NAMES, resolveRegion, selectStatements, type ParameterValues, type Settings } from '../../infra/params.js';
import { dig, loadServerlessConfig } from '../../local/emulator/serverless-config.js';
import { packagingError, REPO_ROOT } from '../support/osls-package.js';

const serverless = loadServerlessConfig(join(REPO_ROOT, 'serverless.yml'));
const DEFAULTS = Object.fromEntries(Object.entries(dig(serverless, 'params', 'default') as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
const CONTEXT = { region: 'eu-west-2', stage: 'prod', service: 'connect-sso-sync' };
const GROUP_A = '9067a1b2c3-1111aaaa-2222-4333-8444-555566667777';
const GROUP_B = '9067a1b2c3-8888bbbb-9999-4aaa-8bbb-ccccddddeeee';
const INSTANCE_ID = '4c8b2f3e-9d1a-4b6e-8f2a-7c3d5e9b1a20';
const REQUIRED = {
  identityStoreId: 'd-1234567890',
  connectInstanceId: INSTANCE_ID,
  ssoInstanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef',
  connectApplicationArn: 'arn:aws:sso::222222222222:application/ssoins-1234567890abcdef/apl-1234567890abcdef',
  managedGroupIds: `${GROUP_A},${GROUP_B}`,
};

function settingsOf(values: ParameterValues): Settings {
  const result = checkParameters({ ...DEFAULTS, ...values }, CONTEXT);
  if (!('settings' in result)) throw new Error(describeProblems(result, CONTEXT.stage));
  return result.settings;
}

function problemsOf(values: ParameterValues): string {
  const result = checkParameters({ ...DEFAULTS, ...values }, CONTEXT);
  if ('settings' in result) throw new Error('expected the parameters to be refused');
  return describeProblems(result, CONTEXT.stage);
}

describe('stage parameter defaults (serverless.yml params.default)', () => {
  it('are the documented defaults, the scheduled reconcile on, and no default for a required parameter', () => {
    expect(DEFAULTS).toEqual({
      groupMapping: '',
      agentGroupName: 'ConnectAgents',
      protectedGroups: '',
      assignmentMode: 'group',
      createUsers: 'true',
      deprovision: 'membership',
      updateIdentity: 'created',
      signInAttribute: 'email',
      identityCenterRoleArn: '',
      identityCenterReadRoleArn: '',
      identityCenterExternalId: '',
      identityCenterRegion: '',
      connectRequestsPerSecond: '1',
      alarmEmail: '',
      reconcileSchedule: 'rate(1 hour)',
      reconcileEnabled: 'true',
      logLevel: 'INFO',
      sharedLinksTables: '',
    });
    expect([...NAMES].sort()).toEqual([...Object.keys(DEFAULTS), 'identityStoreId', 'connectInstanceId', 'ssoInstanceArn', 'connectApplicationArn', 'managedGroupIds'].sort());
  });

  it('give the ci stage (npm run package) an example for every required parameter', () => {
    const ci = checkParameters({ ...DEFAULTS, ...(dig(serverless, 'params', 'ci') as ParameterValues) }, { ...CONTEXT, region: 'us-east-1', stage: 'ci' });

    expect(ci).toHaveProperty('settings');
  });
});

describe('missing stage parameters', () => {
  it('are all named in one message that says how to pass them', () => {
    expect(problemsOf({})).toBe(
      'missing stage parameters: identityStoreId, connectInstanceId, managedGroupIds, ssoInstanceArn (needed by assignmentMode=group), ' +
        'connectApplicationArn (needed by assignmentMode=group) (pass --param="name=value" or set params.prod in serverless.yml)',
    );
  });

  it('ssoInstanceArn is needed by the ownership checks even without assignments, and by nothing else', () => {
    const none = { ...REQUIRED, assignmentMode: 'none', ssoInstanceArn: '', connectApplicationArn: '' };

    expect(problemsOf({ ...none })).toContain('ssoInstanceArn (needed by updateIdentity=created (ownership checks))');
    expect(problemsOf({ ...none, updateIdentity: 'none', deprovision: 'delete' })).toContain('ssoInstanceArn (needed by deprovision=delete (ownership checks))');
    expect(settingsOf({ ...none, updateIdentity: 'none', deprovision: 'membership' }).ssoInstanceArn).toBe('');
    expect(settingsOf({ ...none, updateIdentity: 'none', deprovision: 'none' }).connectApplicationArn).toBe('');
  });

  it('identityCenterExternalId and the read-only role for reconcile are required with identityCenterRoleArn', () => {
    const problems = problemsOf({ ...REQUIRED, identityCenterRoleArn: 'arn:aws:iam::222222222222:role/connect-sso-sync' });

    expect(problems).toContain('identityCenterExternalId (needed with identityCenterRoleArn: the role trusts only callers that send it)');
    expect(problems).toContain('identityCenterReadRoleArn (needed with identityCenterRoleArn');
  });
});

describe('malformed stage parameters', () => {
  it('signInAttribute is email or userName (what the Amazon Connect application sends as RoleSessionName)', () => {
    expect(problemsOf({ ...REQUIRED, signInAttribute: 'subject' })).toContain('signInAttribute must be email | userName');
    expect(settingsOf({ ...REQUIRED, signInAttribute: 'userName' }).signInAttribute).toBe('userName');
  });

  it.each([
    ['*'],
    ['group/*'],
    [`${GROUP_A},*`],
    [`${GROUP_A}/*`],
    [' , '],
  ])('managedGroupIds %p is refused: it would become an IAM resource wider than the managed groups', (managedGroupIds) => {
    expect(problemsOf({ ...REQUIRED, managedGroupIds })).toMatch(/managedGroupIds (must be comma-separated Identity Store group ids|\(|$)/);
  });

  it('are all reported together, each with what is expected', () => {
    const message = problemsOf({
      ...REQUIRED,
      identityStoreId: 'store',
      assignmentMode: 'groups',
      reconcileEnabled: 'yes',
      connectRequestsPerSecond: '0',
      identityCenterRoleArn: 'role',
      identityCenterReadRoleArn: 'arn:aws:iam::222222222222:role/read',
      identityCenterExternalId: 'x',
      logLevel: 'LOUD',
      groupMapping: '{not json',
    });

    expect(message).toMatch(/^invalid stage parameters: /);
    for (const name of ['identityStoreId', 'assignmentMode', 'reconcileEnabled', 'connectRequestsPerSecond', 'identityCenterRoleArn', 'identityCenterExternalId', 'logLevel', 'groupMapping']) {
      expect(message).toContain(`${name} must `);
    }
  });

  it('an application of another Identity Center instance is refused', () => {
    expect(problemsOf({ ...REQUIRED, connectApplicationArn: 'arn:aws:sso::222222222222:application/ssoins-aaaaaaaaaaaaaaaa/apl-1234567890abcdef' })).toContain(
      'connectApplicationArn belongs to ssoins-aaaaaaaaaaaaaaaa, not to ssoInstanceArn\'s ssoins-1234567890abcdef',
    );
  });

  it('a stage name that makes an IAM role name longer than 64 characters is refused', () => {
    const longest = { ...CONTEXT, region: 'ap-southeast-2' };
    const refused = checkParameters({ ...DEFAULTS, ...REQUIRED }, { ...longest, stage: 'a-very-long-stage-name1' });

    expect(describeProblems(refused as { missing: string[]; invalid: string[] }, 'x')).toContain(
      'the IAM role connect-sso-sync-a-very-long-stage-name1-ap-southeast-2-reconcile would have 65 characters (at most 64)',
    );
    expect(checkParameters({ ...DEFAULTS, ...REQUIRED }, { ...longest, stage: 'a-very-long-stage-name' })).toHaveProperty('settings');
  });
});

describe('groupMapping and managedGroupIds', () => {
  it('a mapping naming more groups than managedGroupIds holds fails packaging, naming the mapped groups and how many ids are missing', () => {
    const mapping = JSON.stringify({ Agent: 'ConnectAgents', CallCenterManager: ['ConnectAgents', 'ConnectSupervisors'], Admin: 'ConnectAdmins' });

    const problems = problemsOf({ ...REQUIRED, groupMapping: mapping });

    expect(problems).toContain(
      'invalid stage parameters: groupMapping names 3 group(s) (ConnectAgents, ConnectSupervisors, ConnectAdmins) but managedGroupIds holds 2 id(s): ' +
        '1 of these group(s) are missing from managedGroupIds',
    );
    expect(problems).toContain('npx connect-sso-sync doctor prints the managedGroupIds to deploy with');
  });

  it('as many ids as mapped groups packages; so does the agents group alone with one id', () => {
    const mapping = JSON.stringify({ Agent: 'ConnectAgents', CallCenterManager: ['ConnectAgents', 'ConnectSupervisors'] });

    expect(settingsOf({ ...REQUIRED, groupMapping: mapping }).groupMapping).toBe(mapping);
    expect(settingsOf({ ...REQUIRED, managedGroupIds: GROUP_A }).agentGroupName).toBe('ConnectAgents');
  });
});

describe('--param values osls cannot read', () => {
  it('an empty value or no "=" is named with its parameter, not blamed on the region', () => {
    expect(params.paramOptionProblems(['alarmEmail=', 'logLevel=DEBUG', 'protectedGroups', 'protectedGroups= '])).toEqual([
      '--param="alarmEmail=" has no value: osls takes no empty --param value (to leave alarmEmail unset, leave this --param out)',
      '--param="protectedGroups" is not name=value',
    ]);
    expect(params.paramOptionProblems(undefined)).toEqual([]);
  });
});

describe('derived values', () => {
  it('an instance ARN becomes the bare id; its region must be the deployment region', () => {
    const arn = `arn:aws:connect:eu-west-2:111111111111:instance/${INSTANCE_ID}`;

    expect(settingsOf({ ...REQUIRED, connectInstanceId: arn }).connectInstanceId).toBe(INSTANCE_ID);
    expect(settingsOf({ ...REQUIRED }).connectInstanceId).toBe(INSTANCE_ID);
    expect(problemsOf({ ...REQUIRED, connectInstanceId: arn.replace('eu-west-2', 'us-east-1') })).toContain(
      'connectInstanceId is an instance in us-east-1 but the deployment region is eu-west-2: deploy to us-east-1 (--region us-east-1)',
    );
  });

  it('managed group ids become exactly one group ARN each', () => {
    const settings = settingsOf({ ...REQUIRED, managedGroupIds: ` ${GROUP_A} , ${GROUP_B} ` });

    expect(settings.managedGroupIds).toBe(`${GROUP_A},${GROUP_B}`);
    expect(settings.managedGroupArns).toEqual([
      { 'Fn::Sub': `arn:\${AWS::Partition}:identitystore:::group/${GROUP_A}` },
      { 'Fn::Sub': `arn:\${AWS::Partition}:identitystore:::group/${GROUP_B}` },
    ]);
  });

  it('sharedLinksTables: the other stages\' link tables become one table ARN each, read-only for reconcile; none and unset grant nothing', () => {
    const reconcileRole = dig(serverless, 'custom', 'iam', 'reconcile') as { Sid?: string; when?: string[] }[];
    const shared = (values: ParameterValues) => selectStatements(reconcileRole, settingsOf({ ...REQUIRED, ...values })).filter((s) => s.Sid === 'SharedLinkTables');

    const settings = settingsOf({ ...REQUIRED, sharedLinksTables: ' connect-sso-sync-us-links , connect-sso-sync-uk-links ' });

    expect(settings.sharedLinksTables).toBe('connect-sso-sync-us-links,connect-sso-sync-uk-links');
    expect(settings.sharedLinksTableArns).toEqual(['us', 'uk'].map((s) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:dynamodb:\${AWS::Region}:\${AWS::AccountId}:table/connect-sso-sync-${s}-links` })));
    expect(shared({ sharedLinksTables: 'connect-sso-sync-us-links' })).toEqual([
      { Sid: 'SharedLinkTables', Effect: 'Allow', Action: 'dynamodb:Scan', Resource: '${self:custom.settings.sharedLinksTableArns}' },
    ]);
    expect([shared({}), shared({ sharedLinksTables: 'none' })]).toEqual([[], []]);
    expect(settingsOf({ ...REQUIRED, sharedLinksTables: 'NONE' }).sharedLinksTables).toBe('none');
    expect(problemsOf({ ...REQUIRED, sharedLinksTables: 'connect-sso-sync-prod-links' })).toContain("sharedLinksTables must be none or comma-separated DynamoDB table names: the other stages' link tables (not this stage's own)");
    expect(problemsOf({ ...REQUIRED, sharedLinksTables: 'a b' })).toContain('sharedLinksTables must be');
  });

  it('reconcileEnabled "false" (a --param value is a string) disables the schedule', () => {
    expect(settingsOf({ ...REQUIRED, reconcileEnabled: 'false' }).reconcileEnabled).toBe(false);
    expect(settingsOf({ ...REQUIRED }).reconcileEnabled).toBe(true);
  });
});

describe('IAM statements by mode (custom.iam `when:`)', () => {
  const statements = [
    { Sid: 'Always' },
    { Sid: 'Here', when: ['identityCenterHere'] },
    { Sid: 'Elsewhere', when: 'identityCenterElsewhere' },
    { Sid: 'CreateHere', when: ['identityCenterHere', 'createUsers'] },
    { Sid: 'Ownership', when: ['ownershipChecks'] },
    { Sid: 'UserAssignments', when: ['userAssignments'] },
  ];
  const sids = (values: ParameterValues) => selectStatements(statements, settingsOf({ ...REQUIRED, ...values })).map((s) => s.Sid);

  it('keeps a statement when all its conditions hold, and drops the when key', () => {
    expect(sids({})).toEqual(['Always', 'Here', 'CreateHere', 'Ownership']);
    expect(selectStatements(statements, settingsOf(REQUIRED))[1]).toEqual({ Sid: 'Here' });
    expect(sids({ createUsers: 'false', updateIdentity: 'none', assignmentMode: 'user' })).toEqual(['Always', 'Here', 'UserAssignments']);
    expect(
      sids({ identityCenterRoleArn: 'arn:aws:iam::222222222222:role/r', identityCenterReadRoleArn: 'arn:aws:iam::222222222222:role/r-read', identityCenterExternalId: 'agreed' }),
    ).toEqual(['Always', 'Elsewhere', 'Ownership']);
  });

  it('refuses an unknown condition (a typo must not silently drop or keep a grant)', () => {
    expect(() => selectStatements([{ Sid: 'Typo', when: ['createUser'] }], settingsOf(REQUIRED))).toThrow('custom.iam: unknown condition "createUser"');
  });
});

describe('deployment region', () => {
  const arn = `arn:aws:connect:ap-south-1:111111111111:instance/${INSTANCE_ID}`;
  let dir: string;
  let configFile: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'connect-sso-sync-aws-config-'));
    configFile = join(dir, 'config');
    writeFileSync(configFile, '[default]\nregion = ca-central-1\n\n[profile ops]\n# comment\nregion=sa-east-1\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('follows --region, AWS_REGION, AWS_DEFAULT_REGION, the instance ARN, the profile, in that order', () => {
    const env = { AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'eu-central-1', AWS_CONFIG_FILE: configFile, AWS_PROFILE: 'ops' };

    expect(resolveRegion({ option: 'us-west-2', env, connectInstanceId: arn })).toBe('us-west-2');
    expect(resolveRegion({ env, connectInstanceId: arn })).toBe('eu-west-1');
    expect(resolveRegion({ env: { ...env, AWS_REGION: '' }, connectInstanceId: arn })).toBe('eu-central-1');
    expect(resolveRegion({ env: { AWS_CONFIG_FILE: configFile, AWS_PROFILE: 'ops' }, connectInstanceId: arn })).toBe('ap-south-1');
    expect(resolveRegion({ env: { AWS_CONFIG_FILE: configFile, AWS_PROFILE: 'ops' }, connectInstanceId: INSTANCE_ID })).toBe('sa-east-1');
    expect(resolveRegion({ env: { AWS_CONFIG_FILE: configFile }, connectInstanceId: INSTANCE_ID })).toBe('ca-central-1');
    expect(resolveRegion({ env: { AWS_CONFIG_FILE: configFile }, connectInstanceId: INSTANCE_ID, profile: 'ops' })).toBe('sa-east-1');
  });

  it('is never silently us-east-1: nothing to go by is an error that says what to set', () => {
    expect(() => resolveRegion({ env: { AWS_CONFIG_FILE: join(dir, 'absent') }, connectInstanceId: INSTANCE_ID })).toThrow(
      "no AWS region: pass --region <region> (the Connect instance's region), or set AWS_REGION, or give connectInstanceId as the instance ARN",
    );
    expect(() => resolveRegion({ option: 'Europe', env: {} })).toThrow('the region "Europe" from --region is not an AWS region');
  });
});

describe('osls package with bad parameters', () => {
  let missing: string;
  let noRegion: string;

  let misspelled: string;
  let empty: string;

  beforeAll(async () => {
    [missing, noRegion, misspelled, empty] = await Promise.all([
      packagingError({ stage: 'unconfigured', region: 'eu-west-2' }),
      packagingError({ stage: 'noregion', params: { ...REQUIRED } }),
      packagingError({ stage: 'typo', region: 'eu-west-2', params: { ...REQUIRED, protectedGroup: 'Admins', deprovison: 'delete' } }),
      packagingError({ stage: 'empty', region: 'eu-west-2', params: { ...REQUIRED, alarmEmail: '' } }),
    ]);
  }, 120_000);

  it('a parameter serverless.yml does not read stops packaging, naming the closest known one', () => {
    expect(misspelled).toContain('unknown stage parameters: "protectedGroup" (did you mean protectedGroups?), "deprovison" (did you mean deprovision?)');
  });

  it('a stage without parameters fails with one message naming every missing parameter', () => {
    expect(missing).toContain(
      'missing stage parameters: identityStoreId, connectInstanceId, managedGroupIds, ssoInstanceArn (needed by assignmentMode=group), connectApplicationArn (needed by assignmentMode=group) (pass --param="name=value" or set params.unconfigured in serverless.yml)',
    );
    expect(missing).not.toContain('Value not found at "param" source');
    expect(missing.match(/missing stage parameters/g)).toHaveLength(1);
  });

  it('an empty --param value names that parameter (osls alone blamed provider.region)', () => {
    expect(empty).toContain('--param="alarmEmail=" has no value: osls takes no empty --param value (to leave alarmEmail unset, leave this --param out)');
  });

  it('no region anywhere (no --region, AWS_REGION or profile, a bare instance id) fails instead of picking us-east-1', () => {
    expect(noRegion).toContain('no AWS region: pass --region <region>');
  });
});

describe('unknown parameter names', () => {
  it('are found in --param (one or several) and in the stage params, with a suggestion when one is close', () => {
    const names = params.givenParameterNames(['protectedGroup=Admins', 'identityStoreId=d-1234567890'], { deprovison: 'delete', logLevel: 'INFO' });

    expect(params.unknownParameters(names)).toEqual(['"protectedGroup" (did you mean protectedGroups?)', '"deprovison" (did you mean deprovision?)']);
    expect(params.unknownParameters(['ProtectedGroups'])).toEqual(['"ProtectedGroups" (did you mean protectedGroups?)']);
    expect(params.unknownParameters(['somethingElseEntirely'])).toEqual(['"somethingElseEntirely"']);
    expect(params.unknownParameters([...params.NAMES])).toEqual([]);
  });
});
